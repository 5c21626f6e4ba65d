package dev.bakecache.engine.stats;

import dev.bakecache.engine.config.ByteSize;
import dev.bakecache.engine.index.KindTotals;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.metrics.LatencyHistogram;
import dev.bakecache.engine.metrics.MetricsSnapshot;
import dev.bakecache.engine.metrics.RemoteRequest;
import dev.bakecache.engine.tier.RequestCounter.Request;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The report for a person at a terminal: aligned lines, human sizes, ratios and percentiles. */
final class StatsText {

    private StatsText() {
    }

    static String render(StatsReport report) {
        StringBuilder text = new StringBuilder();
        MetricsSnapshot metrics = report.metrics();
        line(text, "cache", report.root().toString());
        line(text, "blobs", kind(report.index().blobs()));
        line(text, "chunks", kind(report.index().chunks()));
        line(text, "manifests", report.manifests() + ", " + ByteSize.format(report.logicalBytes()) + " of outputs"
                + (report.unreadableManifests() == 0 ? "" : ", " + report.unreadableManifests() + " unreadable"));
        line(text, "ratios", "dedup " + times(report.dedupRatio()) + ", compression " + times(report.compressionRatio()));
        line(text, "max size", ByteSize.format(report.maxSizeBytes()) + ", "
                + percent((double) report.index().totalStoredSize() / report.maxSizeBytes()) + " used");
        line(text, "restores", metrics.get(Counter.RESTORE_HITS) + " hits, " + metrics.get(Counter.RESTORE_MISSES)
                + " misses, hit rate " + percent(metrics.restoreHitRatio()));
        line(text, "transfer", ByteSize.format(metrics.get(Counter.UPLOADED_BYTES)) + " uploaded, "
                + ByteSize.format(metrics.get(Counter.DOWNLOADED_BYTES)) + " downloaded");
        line(text, "replication", metrics.get(Counter.REPLICATED_BLOBS) + " blobs and chunks ("
                + ByteSize.format(metrics.get(Counter.REPLICATED_BYTES)) + "), " + metrics.get(Counter.REPLICATED_MANIFESTS)
                + " manifests");
        line(text, "remotes", "requests " + requests(metrics.remoteRequests().entrySet().stream()));
        metrics.remoteRequests().keySet().stream().map(RemoteRequest::remote).distinct().forEach(remote ->
                line(text, "  " + remote, requests(metrics.remoteRequests().entrySet().stream()
                        .filter(request -> request.getKey().remote().equals(remote)))));
        for (Map.Entry<String, LatencyHistogram> latency : metrics.latencies().entrySet()) {
            LatencyHistogram histogram = latency.getValue();
            line(text, latency.getKey(), String.format(Locale.ROOT, "%d recorded, p50 %s, p90 %s, p99 %s",
                    histogram.count(), millis(histogram.percentileMillis(0.5)),
                    millis(histogram.percentileMillis(0.9)), millis(histogram.percentileMillis(0.99))));
        }
        text.append("counters:\n");
        for (Counter counter : Counter.values()) {
            text.append(String.format(Locale.ROOT, "  %-24s %d%n", counter.id(), metrics.get(counter)));
        }
        if (!metrics.lastSuccesses().isEmpty()) {
            text.append("last success:\n");
            metrics.lastSuccesses().forEach((job, completed) ->
                    text.append(String.format(Locale.ROOT, "  %-24s %s%n", job, completed)));
        }
        return text.toString().stripTrailing();
    }

    /** {@code HEAD 3, LIST 0, GET 0, PUT 12, DELETE 0}: the counts of every method, added up over remotes. */
    private static String requests(Stream<Map.Entry<RemoteRequest, Long>> counts) {
        Map<String, Long> byMethod = counts.collect(Collectors.groupingBy(count -> count.getKey().method(),
                Collectors.summingLong(Map.Entry::getValue)));
        return Arrays.stream(Request.values()).map(method -> method + " " + byMethod.getOrDefault(method.name(), 0L))
                .collect(Collectors.joining(", "));
    }

    private static void line(StringBuilder text, String label, String value) {
        text.append(String.format(Locale.ROOT, "%-10s %s%n", label, value));
    }

    private static String kind(KindTotals totals) {
        return totals.count() + ", " + ByteSize.format(totals.size()) + " content, "
                + ByteSize.format(totals.storedSize()) + " stored";
    }

    private static String times(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.2fx", ratio);
    }

    private static String percent(double ratio) {
        return Double.isNaN(ratio) ? "-" : String.format(Locale.ROOT, "%.1f%%", ratio * 100);
    }

    private static String millis(double millis) {
        return millis < 1000 ? String.format(Locale.ROOT, "%.1f ms", millis)
                : String.format(Locale.ROOT, "%.2f s", millis / 1000);
    }
}
