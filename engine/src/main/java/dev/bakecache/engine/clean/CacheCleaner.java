package dev.bakecache.engine.clean;

import dev.bakecache.engine.files.FileTrees;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.index.IndexTotals;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.LocalBlobStore;
import dev.bakecache.engine.store.StoredBlob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * Empties a local tier: manifests, blobs, chunks, index rows, stat records ({@code state/}) and
 * staging files ({@code tmp/}). Kept: the job repository ({@code jobs/}, which records this very
 * run), the metrics (counters only grow), and {@code quarantine/} (evidence someone may still
 * want). Manifests go first, as eviction does it (ADR 0003), so that a crash half-way never
 * leaves a manifest naming a deleted blob. Every step is idempotent: a run after a crash simply
 * finishes the job. Meant to run while nothing else uses the cache: an ingest running meanwhile
 * would lose its staging files.
 */
public final class CacheCleaner {

    private final LocalCache cache;

    public CacheCleaner(LocalCache cache) {
        this.cache = cache;
    }

    public CleanReport clean(ProgressListener progress) throws IOException {
        long started = System.nanoTime();
        IndexTotals before = cache.index().totals();
        progress.planned(before.count(), before.totalStoredSize());
        long manifests = deleteManifests();
        // Before the files: emptying the index moves its removal generation on, so an ingest
        // running meanwhile looks for its blobs again (docs/adr/0017). Done this way rather than
        // row by row, it also drops the rows of files a crashed run already deleted.
        cache.index().replaceAll(Collections.emptyIterator());
        long blobs = deleteFiles(cache.blobs().files(), progress);
        long chunks = deleteFiles(cache.chunks().files(), progress);
        FileTrees.deleteTree(cache.layout().ingestStateDir().getParent()); // state/: ingest and restore records
        deleteContents(cache.layout().tmpDir());
        return new CleanReport(cache.layout().root(), manifests, blobs, chunks, before.totalStoredSize(),
                Duration.ofNanos(System.nanoTime() - started));
    }

    private long deleteManifests() throws IOException {
        List<String> keys;
        try (Stream<String> listed = cache.actions().keys()) {
            keys = listed.toList();
        }
        long deleted = 0;
        for (String key : keys) {
            if (cache.actions().delete(key)) {
                deleted++;
            }
        }
        return deleted;
    }

    private static long deleteFiles(LocalBlobStore files, ProgressListener progress) throws IOException {
        long deleted = 0;
        try (Stream<StoredBlob> listed = files.list()) {
            for (StoredBlob blob : (Iterable<StoredBlob>) listed::iterator) {
                if (Files.deleteIfExists(files.pathOf(blob.hash()))) {
                    deleted++;
                    progress.advanced(1, blob.storedSize());
                }
            }
        }
        return deleted;
    }

    private static void deleteContents(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : (Iterable<Path>) children::iterator) {
                FileTrees.deleteTree(child);
            }
        }
    }


}
