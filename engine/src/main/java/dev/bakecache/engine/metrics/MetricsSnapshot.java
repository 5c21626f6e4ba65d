package dev.bakecache.engine.metrics;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The counters and latency histograms of a cache at one moment. Every {@link Counter} is present
 * (zero when never added to); latencies are keyed by operation name, in name order.
 */
public record MetricsSnapshot(Map<Counter, Long> counters, SortedMap<String, LatencyHistogram> latencies) {

    public MetricsSnapshot {
        counters = Map.copyOf(counters);
        latencies = Collections.unmodifiableSortedMap(new TreeMap<>(latencies));
    }

    public long get(Counter counter) {
        return counters.getOrDefault(counter, 0L);
    }

    /** Restore hits over hits and misses, NaN before the first restore. */
    public double restoreHitRatio() {
        long hits = get(Counter.RESTORE_HITS);
        long all = hits + get(Counter.RESTORE_MISSES);
        return all == 0 ? Double.NaN : (double) hits / all;
    }
}
