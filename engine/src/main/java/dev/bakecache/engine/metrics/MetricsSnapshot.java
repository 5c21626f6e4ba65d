package dev.bakecache.engine.metrics;

import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The counters, latency histograms, remote requests and last successes of a cache at one moment.
 * Every {@link Counter} is present (zero when never added to); latencies are keyed by operation name
 * and last successes by job name, in name order; remote requests are in remote then method order and
 * hold only the remotes some job has talked to.
 */
public record MetricsSnapshot(Map<Counter, Long> counters, SortedMap<String, LatencyHistogram> latencies,
                              SortedMap<RemoteRequest, Long> remoteRequests, SortedMap<String, Instant> lastSuccesses) {

    public MetricsSnapshot {
        counters = Map.copyOf(counters);
        latencies = Collections.unmodifiableSortedMap(new TreeMap<>(latencies));
        remoteRequests = Collections.unmodifiableSortedMap(new TreeMap<>(remoteRequests));
        lastSuccesses = Collections.unmodifiableSortedMap(new TreeMap<>(lastSuccesses));
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
