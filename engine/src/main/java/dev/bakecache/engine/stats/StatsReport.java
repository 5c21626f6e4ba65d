package dev.bakecache.engine.stats;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.index.IndexTotals;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.InvalidManifestException;
import dev.bakecache.engine.manifest.ManifestJson;
import dev.bakecache.engine.metrics.MetricsSnapshot;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The state of a local tier for {@code stats}: what the index holds, what the manifests describe,
 * and what the jobs have recorded in the metrics file.
 *
 * @param root          the cache root
 * @param maxSizeBytes  {@code cache.local.maxSize}: eviction keeps the stored bytes under it
 * @param index         counts and sizes of blobs and chunks
 * @param manifests     manifests that could be read
 * @param logicalBytes  the sum of those manifests' output file sizes: what restoring all of them writes
 * @param unreadableManifests manifest files that are not valid JSON manifests
 * @param metrics       counters and latencies recorded by jobs
 */
public record StatsReport(Path root, long maxSizeBytes, IndexTotals index, long manifests, long logicalBytes,
                          long unreadableManifests, MetricsSnapshot metrics) {

    /**
     * Gathers the report. Manifests are parsed without checking their signatures: sizes for
     * statistics are no reason to demand the signing secret, and {@code verify} is the job that
     * judges signatures.
     */
    public static StatsReport of(LocalCache cache, MetricsSnapshot metrics) throws IOException {
        long manifests = 0;
        long logicalBytes = 0;
        long unreadable = 0;
        List<String> keys;
        try (Stream<String> listed = cache.actions().keys()) {
            keys = listed.toList();
        }
        for (String key : keys) {
            try {
                Optional<byte[]> stored = cache.actions().getBytes(key); // empty: evicted since the listing
                if (stored.isPresent()) {
                    ActionResult manifest = ManifestJson.parse(stored.get(), cache.actions().pathOf(key).toString());
                    manifests++;
                    logicalBytes += manifest.totalBytes();
                }
            } catch (InvalidManifestException e) {
                unreadable++;
            }
        }
        return new StatsReport(cache.layout().root(), cache.config().local().maxSize(), cache.index().totals(),
                manifests, logicalBytes, unreadable, metrics);
    }

    /** Logical bytes over unique content bytes: how many times over the content is used. NaN when empty. */
    public double dedupRatio() {
        return ratio(logicalBytes, index.totalSize());
    }

    /** Content bytes over stored bytes: what zstd saves. NaN when empty. */
    public double compressionRatio() {
        return ratio(index.totalSize(), index.totalStoredSize());
    }

    private static double ratio(long numerator, long denominator) {
        return denominator == 0 ? Double.NaN : (double) numerator / denominator;
    }
}
