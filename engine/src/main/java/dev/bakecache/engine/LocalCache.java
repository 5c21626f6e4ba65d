package dev.bakecache.engine;

import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.IndexType;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.index.BlobIndex;
import dev.bakecache.engine.index.IndexEntry;
import dev.bakecache.engine.index.IndexedBlobStore;
import dev.bakecache.engine.ingest.Ingester;
import dev.bakecache.engine.manifest.ActionCache;
import dev.bakecache.engine.manifest.ManifestSigner;
import dev.bakecache.engine.restore.RestoreReport;
import dev.bakecache.engine.restore.Restorer;
import dev.bakecache.engine.store.BlobFile;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.CasLayout;
import dev.bakecache.engine.store.LocalBlobStore;
import dev.bakecache.engine.store.StoredBlob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The local tier of a cache, opened from its configuration: the entry point to the engine.
 * It wires the blob and chunk stores, the SQLite index (rebuilt from the blob files when it is
 * missing or damaged), the manifest store with its signer, and the ingest and restore paths.
 */
public final class LocalCache implements AutoCloseable {

    private final CacheConfig config;
    private final CasLayout layout;
    private final HashAlgorithm algorithm;
    private final BlobIndex index;
    private final IndexedBlobStore blobs;
    private final IndexedBlobStore chunks;
    private final ActionCache actions;

    private LocalCache(CacheConfig config, CasLayout layout, BlobIndex index, IndexedBlobStore blobs,
                       IndexedBlobStore chunks, ActionCache actions) {
        this.config = config;
        this.layout = layout;
        this.algorithm = config.cas().hashAlgorithm();
        this.index = index;
        this.blobs = blobs;
        this.chunks = chunks;
        this.actions = actions;
    }

    /**
     * @param environment where the signing secret is looked up (normally {@code System.getenv()})
     * @throws dev.bakecache.engine.manifest.MissingSecretException when verification is on and the secret is unset
     */
    public static LocalCache open(CacheConfig config, Map<String, String> environment) throws IOException {
        ManifestSigner signer = config.verification().enabled()
                ? ManifestSigner.fromEnvironment(config.verification().secretEnv(), environment)
                : null;
        HashAlgorithm algorithm = config.cas().hashAlgorithm();
        CasLayout layout = new CasLayout(config.local().path()).create(algorithm);
        CompressionPolicy compression = new CompressionPolicy(config.cas().compression());
        LocalBlobStore blobFiles = LocalBlobStore.open(layout, BlobKind.BLOB, algorithm, compression);
        LocalBlobStore chunkFiles = LocalBlobStore.open(layout, BlobKind.CHUNK, algorithm, compression);
        BlobIndex index = BlobIndex.openOrRecreate(indexFile(config, layout),
                () -> scan(List.of(blobFiles, chunkFiles), List.of(BlobKind.BLOB, BlobKind.CHUNK)));
        return new LocalCache(config, layout, index,
                new IndexedBlobStore(blobFiles, index, BlobKind.BLOB),
                new IndexedBlobStore(chunkFiles, index, BlobKind.CHUNK),
                new ActionCache(layout.actionCacheDir(), layout.tmpDir(), signer));
    }

    /**
     * {@code cache.local.index: memory} keeps no index between runs: a throwaway file in tmp/,
     * rebuilt from the blob files at every start and deleted on close.
     */
    private static Path indexFile(CacheConfig config, CasLayout layout) throws IOException {
        if (config.local().index() == IndexType.SQLITE) {
            return layout.indexFile();
        }
        Path throwaway = Files.createTempFile(layout.tmpDir(), "index-", ".sqlite");
        Files.delete(throwaway); // absent, so the index is built from a scan
        return throwaway;
    }

    /** Index entries for every blob file, for rebuilding the index; access history is lost, mtimes stand in. */
    private static Iterator<IndexEntry> scan(List<LocalBlobStore> stores, List<BlobKind> kinds) {
        List<IndexEntry> entries = new ArrayList<>();
        for (int i = 0; i < stores.size(); i++) {
            LocalBlobStore store = stores.get(i);
            BlobKind kind = kinds.get(i);
            try (Stream<StoredBlob> listing = store.list()) {
                for (StoredBlob stored : (Iterable<StoredBlob>) listing::iterator) {
                    try {
                        BlobFile file = store.describe(stored);
                        entries.add(new IndexEntry(kind, file.hash(), file.size(), file.storedSize(), file.format(),
                                file.modified(), file.modified(), 0));
                    } catch (NoSuchFileException deletedMeanwhile) {
                        // gone between listing and reading: nothing to index
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot scan " + store + " to rebuild the index", e);
            }
        }
        return entries.iterator();
    }

    public CacheConfig config() {
        return config;
    }

    public CasLayout layout() {
        return layout;
    }

    public HashAlgorithm algorithm() {
        return algorithm;
    }

    public BlobIndex index() {
        return index;
    }

    public IndexedBlobStore blobs() {
        return blobs;
    }

    public IndexedBlobStore chunks() {
        return chunks;
    }

    /** The store of whole-file blobs or of chunks. */
    public IndexedBlobStore store(BlobKind kind) {
        return kind == BlobKind.CHUNK ? chunks : blobs;
    }

    public ActionCache actions() {
        return actions;
    }

    public Ingester ingester() {
        return new Ingester(algorithm, blobs, chunks, actions, config.cas().chunking(),
                config.parallelism().effectiveHashing(), layout.ingestStateDir());
    }

    /** Restores read the blob files directly (and may hard-link them); record their use with {@link #recordReads}. */
    public Restorer restorer() {
        return new Restorer(blobs.files(), chunks.files(), algorithm, config.local().useHardLinks(),
                config.parallelism().effectiveHashing(), layout.restoreStateDir());
    }

    /** Counts a restore's reads as accesses in the index, so LRU eviction sees them. */
    public void recordReads(RestoreReport report) {
        report.blobsRead().forEach(blobs::recordAccess);
        report.chunksRead().forEach(chunks::recordAccess);
    }

    @Override
    public void close() throws IOException {
        blobs.flush();
        chunks.flush();
        index.close();
        if (config.local().index() == IndexType.MEMORY) {
            for (String suffix : List.of("", "-wal", "-shm", ".lock")) {
                Files.deleteIfExists(index.file().resolveSibling(index.file().getFileName() + suffix));
            }
        }
    }
}
