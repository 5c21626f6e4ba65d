package dev.bakecache.engine.metrics;

import java.nio.file.Path;
import java.time.Duration;

/** Run as a separate JVM by {@link CacheMetricsTest}: records into the same file as the test does. */
public final class MetricsRecorderProcess {

    static final int ADDS = 200;

    static void record(Path file) {
        try (CacheMetrics metrics = CacheMetrics.open(file)) {
            for (int i = 0; i < ADDS; i++) {
                metrics.add(Counter.RESTORE_HITS, 1);
                metrics.recordLatency("restore", Duration.ofMillis(i % 7));
            }
        }
    }

    public static void main(String[] args) {
        record(Path.of(args[0]));
    }
}
