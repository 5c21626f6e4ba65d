package dev.bakecache.engine.clean;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.index.IndexTotals;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.metrics.ProgressListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class CacheCleanerTest {

    @TempDir
    Path tmp;

    @Test
    void cleanEmptiesTheTierKeepsMetricsAndQuarantineAndTheCacheStillWorks() throws IOException {
        CacheConfig config = CacheFixtures.config(tmp.resolve("cache"));
        Path outputs = CacheFixtures.outputs(tmp.resolve("outputs"));
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV);
             CacheMetrics metrics = CacheMetrics.open(cache.layout().metricsFile())) {
            cache.ingester().ingest("app", outputs, ProgressListener.NONE);
            cache.restorer().restore(cache.actions().get("app").orElseThrow(), tmp.resolve("r1"), ProgressListener.NONE);
            metrics.add(Counter.RESTORE_HITS, 1);
            Files.createDirectories(cache.layout().quarantineDir().resolve("blobs"));
            Files.writeString(cache.layout().quarantineDir().resolve("blobs/evidence"), "kept");
            Files.writeString(cache.layout().tmpDir().resolve("left-by-a-crash.part"), "x");
            IndexTotals before = cache.index().totals();

            CleanReport report = new CacheCleaner(cache).clean(ProgressListener.NONE);

            assertThat(report.manifests()).isEqualTo(1);
            assertThat(report.blobs()).isEqualTo(before.blobCount());
            assertThat(report.chunks()).isEqualTo(before.chunkCount());
            assertThat(report.storedBytes()).isEqualTo(before.totalStoredSize());
            assertThat(report.summary()).startsWith("cleaned " + cache.layout().root() + ": removed 1 manifests, "
                    + before.blobCount() + " blobs, " + before.chunkCount() + " chunks");
            assertThat(cache.index().totals()).isEqualTo(IndexTotals.EMPTY);
            assertThat(filesUnder(cache.layout().root().resolve("cas/blobs"))).isZero();
            assertThat(filesUnder(cache.layout().actionCacheDir())).isZero();
            assertThat(cache.layout().root().resolve("state")).doesNotExist();
            assertThat(cache.layout().tmpDir()).isEmptyDirectory();
            assertThat(cache.layout().quarantineDir().resolve("blobs/evidence")).exists();
            assertThat(metrics.snapshot().get(Counter.RESTORE_HITS)).as("counters only grow").isEqualTo(1);

            CleanReport again = new CacheCleaner(cache).clean(ProgressListener.NONE);
            assertThat(again.manifests() + again.blobs() + again.chunks()).as("idempotent").isZero();

            assertThat(cache.ingester().ingest("app", outputs, ProgressListener.NONE).hashedFiles())
                    .as("no stat records survive: every file is read again").isEqualTo(11);
            Path restored = tmp.resolve("r2");
            cache.restorer().restore(cache.actions().get("app").orElseThrow(), restored, ProgressListener.NONE);
            assertThat(restored.resolve("big.bin")).hasSameBinaryContentAs(outputs.resolve("big.bin"));
        }
    }

    private static long filesUnder(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }
}
