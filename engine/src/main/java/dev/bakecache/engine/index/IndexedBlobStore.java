package dev.bakecache.engine.index;

import dev.bakecache.engine.compress.BlobFormat;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.ClaimableBlobStore;
import dev.bakecache.engine.store.LocalBlobStore;
import dev.bakecache.engine.store.StoredBlob;
import dev.bakecache.engine.store.TierBlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The local tier as the rest of the engine sees it: a {@link LocalBlobStore} whose writes,
 * deletes and reads are also recorded in the {@link BlobIndex}, so eviction and statistics never
 * need a directory walk.
 *
 * <p>Existence is still answered by the blob file, not by the index: the file is the truth, and
 * a stat costs about what an index lookup does. Reads are recorded in batches (one transaction
 * per {@value #ACCESS_BATCH} reads, and on {@link #flush()}), since a restore reads thousands.
 */
public final class IndexedBlobStore implements TierBlobStore, ClaimableBlobStore, AutoCloseable {

    static final int ACCESS_BATCH = 512;

    private final LocalBlobStore files;
    private final BlobIndex index;
    private final BlobKind kind;
    private final List<String> pendingAccesses = new ArrayList<>();

    public IndexedBlobStore(LocalBlobStore files, BlobIndex index, BlobKind kind) {
        this.files = files;
        this.index = index;
        this.kind = kind;
    }

    /** The files underneath, for what only the local tier can do (hard links, describe). */
    public LocalBlobStore files() {
        return files;
    }

    @Override
    public boolean contains(Digest digest) {
        return files.contains(digest);
    }

    @Override
    public Set<Digest> containsMany(Collection<Digest> digests) {
        return files.containsMany(digests);
    }

    @Override
    public InputStream get(Digest digest) throws IOException {
        InputStream content = files.get(digest);
        recordAccess(digest);
        return content;
    }

    /** Records a use of a blob that was read without {@link #get}, e.g. hard-linked. */
    public void recordAccess(Digest digest) {
        List<String> batch = null;
        synchronized (pendingAccesses) {
            pendingAccesses.add(digest.hash());
            if (pendingAccesses.size() >= ACCESS_BATCH) {
                batch = List.copyOf(pendingAccesses);
                pendingAccesses.clear();
            }
        }
        if (batch != null) {
            index.recordAccess(kind, batch, Instant.now());
        }
    }

    /** Records the uses at once, in one transaction, rather than batched: see {@link ClaimableBlobStore#recordUse}. */
    @Override
    public void recordUse(Collection<Digest> digests) {
        index.recordUse(kind, digests.stream().map(Digest::hash).toList(), Instant.now());
    }

    /**
     * Deletes those of the listed blobs that were neither used (index) nor written (file mtime)
     * since {@code cutoff}, files and entries together; see {@link BlobIndex#removeUnusedSince} for
     * why this cannot race an ingest that is about to name one of them in a manifest.
     *
     * @return the deleted entries; a blob whose file was already gone counts, its entry is dropped
     */
    public List<IndexEntry> deleteUnusedSince(Collection<String> hashes, Instant cutoff) {
        return index.removeUnusedSince(kind, hashes, cutoff, entry -> {
            Path file = files.pathOf(entry.digest());
            try {
                if (!Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) {
                    return false; // written again since the entry was last used, e.g. by a put racing a stale entry
                }
            } catch (NoSuchFileException alreadyGone) {
                return true;
            }
            Files.deleteIfExists(file);
            return true;
        });
    }

    @Override
    public boolean put(Digest digest, InputStream content) throws IOException {
        boolean written = files.put(digest, content);
        if (written) {
            index(digest);
        }
        return written;
    }

    @Override
    public InputStream openStored(String hash) throws IOException {
        return files.openStored(hash);
    }

    @Override
    public Digest putStored(String hash, InputStream stored) throws IOException {
        Digest digest = files.putStored(hash, stored);
        index(digest);
        return digest;
    }

    private void index(Digest digest) throws IOException {
        long storedSize = files.storedSize(digest).orElse(0);
        BlobFormat format = files.isRaw(digest) ? BlobFormat.RAW : BlobFormat.ZSTD;
        index.upsertAll(List.of(IndexEntry.stored(kind, digest, storedSize, format, Instant.now())));
    }

    @Override
    public Stream<StoredBlob> listShard(String shard) {
        return files.listShard(shard);
    }

    @Override
    public OptionalLong removalGeneration() {
        return OptionalLong.of(index.removalGeneration());
    }

    /** The entry goes first: removing it moves the removal generation on before the file is gone. */
    @Override
    public boolean delete(Digest digest) throws IOException {
        index.removeAll(kind, List.of(digest.hash()));
        return files.delete(digest);
    }

    @Override
    public Stream<StoredBlob> list() throws IOException {
        return files.list();
    }

    /** Writes the reads recorded so far to the index. */
    public void flush() {
        List<String> batch;
        synchronized (pendingAccesses) {
            batch = List.copyOf(pendingAccesses);
            pendingAccesses.clear();
        }
        if (!batch.isEmpty()) {
            index.recordAccess(kind, batch, Instant.now());
        }
    }

    @Override
    public void close() {
        flush();
    }
}
