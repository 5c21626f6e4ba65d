package dev.bakecache.engine.store;

import dev.bakecache.engine.hash.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A tier that keeps blobs by digest: the local disk, S3 or GCS. Callers deal in content; how a
 * tier stores it (compressed or not, sharded how) is its own business. Every read is verified
 * against the digest before it ends, every write is verified before it becomes visible.
 *
 * <p>The batch forms have sequential defaults; remote tiers override them to run in parallel and
 * to spend fewer requests.
 */
public interface BlobStore {

    boolean contains(Digest digest) throws IOException;

    /**
     * Opens the blob's content. The stream throws a {@link BlobCorruptedException} at end of
     * stream if the bytes did not match the digest, so consume it fully before trusting it.
     *
     * @throws BlobNotFoundException when the tier does not have the blob
     */
    InputStream get(Digest digest) throws IOException;

    /**
     * Stores {@code content}, which must hash to {@code digest}; a mismatch throws a
     * {@link DigestMismatchException} and leaves nothing behind.
     *
     * @return true if the blob was written, false if the tier already had it (then
     * {@code content} may not have been read at all)
     */
    boolean put(Digest digest, InputStream content) throws IOException;

    /**
     * Records that a manifest about to be written names these blobs, before the writer checks that
     * they are all still there: eviction and garbage collection keep blobs used after they started
     * (docs/adr/0008). Tiers that keep no such record do nothing.
     */
    default void recordUse(Collection<Digest> digests) throws IOException {
    }

    /**
     * A number that moves on whenever blobs are removed from this store, read after
     * {@link #recordUse}: while it stays the same, blobs found stored then are stored still
     * (docs/adr/0017). Empty for tiers that keep no such number; their writers always check.
     */
    default OptionalLong removalGeneration() throws IOException {
        return OptionalLong.empty();
    }

    /** @return true if the blob existed and was removed */
    boolean delete(Digest digest) throws IOException;

    /** Bytes the blob takes in this tier (after compression), or empty when absent. */
    OptionalLong storedSize(Digest digest) throws IOException;

    /** Every blob in the tier. Close the stream when done. */
    Stream<StoredBlob> list() throws IOException;

    /**
     * The blobs of one shard, {@code "00"} to {@code "ff"}: the unit that replication and
     * partitioned jobs split work by. Close the stream when done.
     */
    default Stream<StoredBlob> listShard(String shard) throws IOException {
        return list().filter(blob -> blob.hash().startsWith(shard));
    }

    /**
     * Opens the blob exactly as this tier stores it, raw content or one zstd frame, unchecked:
     * for copying it to another tier as it is, whose {@link #putStored} checks it. Every tier
     * reads every stored form, so nothing is decoded and re-encoded on the way.
     *
     * @throws BlobNotFoundException when the tier does not have the blob
     */
    InputStream openStored(String hash) throws IOException;

    /**
     * Stores a blob given in stored form, as another tier's {@link #openStored} yields it. The
     * bytes are decoded and hashed before they become visible; if they do not hash to
     * {@code hash}, a {@link BlobCorruptedException} is thrown and nothing is left behind.
     * Callers check presence first (replication lists the shard): a tier may write a blob it
     * already has again, with the same bytes.
     *
     * @return the content digest, which the stored form alone reveals (its size)
     */
    Digest putStored(String hash, InputStream stored) throws IOException;

    default Set<Digest> containsMany(Collection<Digest> digests) throws IOException {
        Set<Digest> present = new HashSet<>();
        for (Digest digest : digests) {
            if (contains(digest)) {
                present.add(digest);
            }
        }
        return present;
    }

    /** Hands each blob's verified content to {@code sink}, one at a time. */
    default void getMany(Collection<Digest> digests, BlobSink sink) throws IOException {
        for (Digest digest : digests) {
            try (InputStream in = get(digest)) {
                sink.accept(digest, in);
            }
        }
    }

    /** @return the digests that were newly written */
    default Set<Digest> putMany(Map<Digest, BlobSource> blobs) throws IOException {
        Set<Digest> written = new HashSet<>();
        for (Map.Entry<Digest, BlobSource> blob : blobs.entrySet()) {
            if (contains(blob.getKey())) {
                continue;
            }
            try (InputStream in = blob.getValue().open()) {
                if (put(blob.getKey(), in)) {
                    written.add(blob.getKey());
                }
            }
        }
        return written;
    }

    /** Opens a blob's content on demand, so a batch put reads only what the tier lacks. */
    @FunctionalInterface
    interface BlobSource {
        InputStream open() throws IOException;
    }

    @FunctionalInterface
    interface BlobSink {
        void accept(Digest digest, InputStream content) throws IOException;
    }
}
