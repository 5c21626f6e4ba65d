package dev.bakecache.engine.stats;

import dev.bakecache.engine.index.KindTotals;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.metrics.LatencyHistogram;
import dev.bakecache.engine.metrics.MetricsSnapshot;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report in the Prometheus text exposition format 0.0.4: gauges for what the cache holds and
 * for {@code cache.local.maxSize} ({@code bake_cache_local_max_size_bytes}),
 * {@code bake_cache_<counter>_total} counters, one counter
 * {@code bake_cache_remote_requests_total{remote=...,method=...}} for the requests sent to remotes,
 * a gauge {@code bake_cache_<job>_last_success_timestamp_seconds} for each job that has exited 0
 * (what a CronJob is alerted on: too long ago means the job stopped succeeding), and one histogram
 * {@code bake_cache_operation_duration_seconds{operation=...}} over the recorded latencies. Each
 * family has its {@code # HELP} and {@code # TYPE} lines; labels are {@code kind}, {@code remote},
 * {@code method} and {@code operation}. Families with nothing recorded yet (no remote used, no job
 * succeeded, no latency) are left out rather than written as zeros: a zero timestamp would read as
 * a success in 1970.
 */
public final class PrometheusExposition {

    private static final String PREFIX = "bake_cache_";

    private PrometheusExposition() {
    }

    public static String render(StatsReport report) {
        StringBuilder out = new StringBuilder();
        Map<String, KindTotals> kinds = Map.of("blob", report.index().blobs(), "chunk", report.index().chunks());
        List<String> kindOrder = List.of("blob", "chunk");
        family(out, "entries", "gauge", "blobs and chunks in the local tier's index");
        kindOrder.forEach(kind -> sample(out, "entries", "{kind=\"" + kind + "\"}", kinds.get(kind).count()));
        family(out, "content_bytes", "gauge", "content bytes of the blobs and chunks in the local tier");
        kindOrder.forEach(kind -> sample(out, "content_bytes", "{kind=\"" + kind + "\"}", kinds.get(kind).size()));
        family(out, "stored_bytes", "gauge", "bytes on disk of the blobs and chunks in the local tier");
        kindOrder.forEach(kind -> sample(out, "stored_bytes", "{kind=\"" + kind + "\"}", kinds.get(kind).storedSize()));
        gauge(out, "manifests", "manifests in the local tier", report.manifests());
        gauge(out, "unreadable_manifests", "manifest files that are not valid manifests", report.unreadableManifests());
        gauge(out, "logical_bytes", "output bytes the manifests describe (what restoring all of them writes)",
                report.logicalBytes());
        gauge(out, "dedup_ratio", "logical bytes over unique content bytes", report.dedupRatio());
        gauge(out, "compression_ratio", "content bytes over stored bytes", report.compressionRatio());
        gauge(out, "local_max_size_bytes", "cache.local.maxSize: eviction keeps the local tier's stored bytes under it",
                report.maxSizeBytes());
        MetricsSnapshot metrics = report.metrics();
        for (Counter counter : Counter.values()) {
            String name = counter.id() + "_total";
            family(out, name, "counter", counter.help());
            sample(out, name, "", metrics.get(counter));
        }
        remoteRequests(out, metrics);
        lastSuccesses(out, metrics);
        histograms(out, metrics);
        return out.toString();
    }

    private static void remoteRequests(StringBuilder out, MetricsSnapshot metrics) {
        if (metrics.remoteRequests().isEmpty()) {
            return;
        }
        String name = "remote_requests_total";
        family(out, name, "counter", "requests jobs sent to remote tiers, by remote (its cache.remotes name)"
                + " and method (HEAD, LIST, GET, PUT, DELETE)");
        metrics.remoteRequests().forEach((request, count) -> sample(out, name,
                "{remote=\"" + labelValue(request.remote()) + "\",method=\"" + request.method() + "\"}", count));
    }

    private static void lastSuccesses(StringBuilder out, MetricsSnapshot metrics) {
        metrics.lastSuccesses().forEach((job, completed) -> {
            String name = job + "_last_success_timestamp_seconds";
            family(out, name, "gauge", "when the last " + job + " run that exited 0 completed, in seconds since the epoch");
            out.append(PREFIX).append(name).append(' ').append(epochSeconds(completed)).append('\n');
        });
    }

    private static void histograms(StringBuilder out, MetricsSnapshot metrics) {
        if (metrics.latencies().isEmpty()) {
            return;
        }
        String name = "operation_duration_seconds";
        family(out, name, "histogram", "how long operations took, by operation (ingest and restore per key)");
        metrics.latencies().forEach((operation, histogram) -> {
            long[] counts = histogram.bucketCounts();
            long cumulative = 0;
            for (int i = 0; i < LatencyHistogram.BOUNDS_MILLIS.size(); i++) {
                cumulative += counts[i];
                String le = decimal(LatencyHistogram.BOUNDS_MILLIS.get(i) / 1000.0);
                sample(out, name + "_bucket", "{operation=\"" + operation + "\",le=\"" + le + "\"}", cumulative);
            }
            sample(out, name + "_bucket", "{operation=\"" + operation + "\",le=\"+Inf\"}", histogram.count());
            sample(out, name + "_sum", "{operation=\"" + operation + "\"}", histogram.sum().toNanos() / 1e9);
            sample(out, name + "_count", "{operation=\"" + operation + "\"}", histogram.count());
        });
    }

    /**
     * Writes the exposition for node-exporter's textfile collector: to a temporary file in the same
     * directory, then renamed over {@code target}, so the collector never reads half a file.
     */
    public static void writeTextfile(String exposition, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // the collector reads only *.prom: the temporary name must not end so
        Path tmp = Files.createTempFile(dir, "." + target.getFileName() + "-", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                channel.write(java.nio.ByteBuffer.wrap(exposition.getBytes(StandardCharsets.UTF_8)));
                channel.force(true);
            }
            Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void family(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(PREFIX).append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(PREFIX).append(name).append(' ').append(type).append('\n');
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        family(out, name, "gauge", help);
        sample(out, name, "", value);
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(PREFIX).append(name).append(labels).append(' ').append(value(value)).append('\n');
    }

    private static String value(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return decimal(value);
    }

    /** Plain decimal seconds with the milliseconds: a double's exponent form would drop digits of them. */
    private static String epochSeconds(Instant instant) {
        return BigDecimal.valueOf(instant.toEpochMilli(), 3).stripTrailingZeros().toPlainString();
    }

    /** The text format's escapes for a label value: a remote's name is the user's to choose. */
    private static String labelValue(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    private static String decimal(double value) {
        return Double.toString(value).toLowerCase(Locale.ROOT);
    }
}
