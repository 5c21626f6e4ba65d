package dev.bakecache.engine.stats;

import dev.bakecache.engine.index.KindTotals;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.metrics.LatencyHistogram;
import dev.bakecache.engine.metrics.MetricsSnapshot;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The report for scripts. The keys are stable (a script may rely on them): {@code cache},
 * {@code maxSizeBytes}, {@code blobs}, {@code chunks} ({@code count}, {@code contentBytes},
 * {@code storedBytes}), {@code manifests} ({@code count}, {@code logicalBytes}, {@code unreadable}),
 * {@code ratios} ({@code dedup}, {@code compression}, {@code restoreHit}: null while undefined),
 * {@code counters} (every {@link Counter} id), {@code remoteRequests} (per remote name, per method:
 * {@code HEAD}, {@code LIST}, {@code GET}, {@code PUT}, {@code DELETE}), {@code lastSuccess} (per job
 * that has exited 0: when, as an ISO-8601 instant) and {@code latencies} (per operation:
 * {@code count}, {@code sumSeconds}, {@code p50Seconds}, {@code p90Seconds}, {@code p99Seconds}).
 */
final class StatsJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private StatsJson() {
    }

    static String render(StatsReport report) {
        MetricsSnapshot metrics = report.metrics();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cache", report.root().toString());
        json.put("maxSizeBytes", report.maxSizeBytes());
        json.put("blobs", kind(report.index().blobs()));
        json.put("chunks", kind(report.index().chunks()));
        Map<String, Object> manifests = new LinkedHashMap<>();
        manifests.put("count", report.manifests());
        manifests.put("logicalBytes", report.logicalBytes());
        manifests.put("unreadable", report.unreadableManifests());
        json.put("manifests", manifests);
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put("dedup", number(report.dedupRatio()));
        ratios.put("compression", number(report.compressionRatio()));
        ratios.put("restoreHit", number(metrics.restoreHitRatio()));
        json.put("ratios", ratios);
        Map<String, Object> counters = new LinkedHashMap<>();
        for (Counter counter : Counter.values()) {
            counters.put(counter.id(), metrics.get(counter));
        }
        json.put("counters", counters);
        Map<String, Map<String, Long>> remoteRequests = new LinkedHashMap<>();
        metrics.remoteRequests().forEach((request, count) ->
                remoteRequests.computeIfAbsent(request.remote(), remote -> new LinkedHashMap<>()).put(request.method(), count));
        json.put("remoteRequests", remoteRequests);
        Map<String, String> lastSuccess = new LinkedHashMap<>();
        metrics.lastSuccesses().forEach((job, completed) -> lastSuccess.put(job, completed.toString()));
        json.put("lastSuccess", lastSuccess);
        Map<String, Object> latencies = new LinkedHashMap<>();
        metrics.latencies().forEach((operation, histogram) -> latencies.put(operation, latency(histogram)));
        json.put("latencies", latencies);
        return MAPPER.writeValueAsString(json);
    }

    private static Map<String, Object> kind(KindTotals totals) {
        Map<String, Object> kind = new LinkedHashMap<>();
        kind.put("count", totals.count());
        kind.put("contentBytes", totals.size());
        kind.put("storedBytes", totals.storedSize());
        return kind;
    }

    private static Map<String, Object> latency(LatencyHistogram histogram) {
        Map<String, Object> latency = new LinkedHashMap<>();
        latency.put("count", histogram.count());
        latency.put("sumSeconds", histogram.sum().toNanos() / 1e9);
        latency.put("p50Seconds", number(histogram.percentileMillis(0.5) / 1000));
        latency.put("p90Seconds", number(histogram.percentileMillis(0.9) / 1000));
        latency.put("p99Seconds", number(histogram.percentileMillis(0.99) / 1000));
        return latency;
    }

    /** JSON has no NaN: an undefined ratio is null. */
    private static Double number(double value) {
        return Double.isNaN(value) ? null : value;
    }
}
