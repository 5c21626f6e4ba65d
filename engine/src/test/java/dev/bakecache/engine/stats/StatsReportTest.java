package dev.bakecache.engine.stats;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.metrics.LatencyHistogram;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.metrics.RemoteRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class StatsReportTest {

    @TempDir
    Path tmp;
    private static final Instant GC_SUCCEEDED = Instant.parse("2025-03-01T01:30:12.345Z");

    private StatsReport report;
    private long manifestBytes;
    private long maxSize;

    @BeforeEach
    void ingestTwoKeysAndRecordSomeWork() throws IOException {
        CacheConfig config = CacheFixtures.config(tmp.resolve("cache"));
        Path outputs = CacheFixtures.outputs(tmp.resolve("outputs"));
        try (LocalCache cache = LocalCache.open(config, CacheFixtures.ENV);
             CacheMetrics metrics = CacheMetrics.open(cache.layout().metricsFile())) {
            cache.ingester().ingest("app", outputs, ProgressListener.NONE);
            cache.ingester().ingest("app-again", outputs, ProgressListener.NONE);
            manifestBytes = cache.actions().get("app").orElseThrow().totalBytes();
            Files.writeString(cache.layout().actionCacheDir().resolve("broken.json"), "{not json");
            metrics.addAll(Map.of(Counter.RESTORE_HITS, 3L, Counter.RESTORE_MISSES, 1L, Counter.EVICTED_BYTES, 512L));
            metrics.recordLatency("restore", Duration.ofMillis(40));
            metrics.recordLatency("restore", Duration.ofMillis(400));
            metrics.recordLatency("ingest", Duration.ofSeconds(2));
            metrics.addRemoteRequests(Map.of(new RemoteRequest("shared-s3", "PUT"), 12L,
                    new RemoteRequest("shared-s3", "HEAD"), 3L, new RemoteRequest("team \"b\"\\n", "GET"), 1L));
            metrics.recordSuccess("gc", GC_SUCCEEDED);
            maxSize = cache.config().local().maxSize();
        }
        // stats needs no secret: the report is gathered from a cache opened without verification
        try (LocalCache cache = LocalCache.open(config.withoutManifestVerification(), Map.of());
             CacheMetrics metrics = CacheMetrics.open(cache.layout().metricsFile())) {
            report = StatsReport.of(cache, metrics.snapshot());
        }
    }

    @Test
    void reportAddsUpManifestsAgainstStoredContent() {
        assertThat(report.manifests()).isEqualTo(2);
        assertThat(report.unreadableManifests()).isEqualTo(1);
        assertThat(report.logicalBytes()).isEqualTo(2 * manifestBytes);
        assertThat(report.index().chunkCount()).isPositive();
        assertThat(report.dedupRatio()).as("two keys and a copied file share their blobs")
                .isCloseTo((double) report.logicalBytes() / report.index().totalSize(), within(1e-12))
                .isGreaterThan(2);
        assertThat(report.compressionRatio()).as("the text files compress").isGreaterThan(1);
        assertThat(report.metrics().restoreHitRatio()).isEqualTo(0.75);
    }

    @Test
    void jsonHasTheDocumentedStableKeys() {
        JsonNode json = JsonMapper.builder().build().readTree(StatsFormat.JSON.render(report));
        assertThat(json.propertyNames()).containsExactly("cache", "maxSizeBytes", "blobs", "chunks", "manifests", "ratios",
                "counters", "remoteRequests", "lastSuccess", "latencies");
        assertThat(json.get("blobs").propertyNames()).containsExactly("count", "contentBytes", "storedBytes");
        assertThat(json.get("manifests").propertyNames()).containsExactly("count", "logicalBytes", "unreadable");
        assertThat(json.get("ratios").propertyNames()).containsExactly("dedup", "compression", "restoreHit");
        assertThat(json.get("counters").propertyNames())
                .containsExactlyElementsOf(Arrays.stream(Counter.values()).map(Counter::id).toList());
        assertThat(json.get("latencies").propertyNames()).containsExactly("ingest", "restore");
        assertThat(json.get("latencies").get("restore").propertyNames())
                .containsExactly("count", "sumSeconds", "p50Seconds", "p90Seconds", "p99Seconds");
        assertThat(json.get("manifests").get("count").asLong()).isEqualTo(2);
        assertThat(json.get("counters").get("evicted_bytes").asLong()).isEqualTo(512);
        assertThat(json.get("ratios").get("restoreHit").asDouble()).isEqualTo(0.75);
        assertThat(json.get("maxSizeBytes").asLong()).isEqualTo(maxSize);
        assertThat(json.get("remoteRequests").get("shared-s3").get("PUT").asLong()).isEqualTo(12);
        assertThat(json.get("lastSuccess").get("gc").asString()).isEqualTo(GC_SUCCEEDED.toString());
    }

    @Test
    void prometheusExpositionIsValidAndCarriesTheNumbers() {
        Map<String, PrometheusTextParser.Family> families =
                PrometheusTextParser.parse(StatsFormat.PROMETHEUS.render(report));

        assertThat(families.keySet()).allMatch(name -> name.startsWith("bake_cache_"));
        assertThat(families.values()).allMatch(family -> family.help() != null && !family.help().isBlank());
        for (Counter counter : Counter.values()) {
            PrometheusTextParser.Family family = families.get("bake_cache_" + counter.id() + "_total");
            assertThat(family.type()).as(counter.id()).isEqualTo("counter");
        }
        assertThat(families.get("bake_cache_restore_misses_total").samples().getFirst().value()).isEqualTo(1);
        assertThat(families.get("bake_cache_entries").samples())
                .extracting(s -> s.labels().get("kind") + "=" + (long) s.value())
                .containsExactly("blob=" + report.index().blobCount(), "chunk=" + report.index().chunkCount());
        assertThat(families.get("bake_cache_manifests").samples().getFirst().value()).isEqualTo(2);

        PrometheusTextParser.Family durations = families.get("bake_cache_operation_duration_seconds");
        assertThat(durations.type()).isEqualTo("histogram");
        List<PrometheusTextParser.Sample> restoreBuckets = durations.samples().stream()
                .filter(s -> s.name().endsWith("_bucket") && s.labels().get("operation").equals("restore")).toList();
        assertThat(restoreBuckets).hasSize(LatencyHistogram.BOUNDS_MILLIS.size() + 1);
        assertThat(restoreBuckets).filteredOn(s -> s.labels().get("le").equals("0.05"))
                .singleElement().extracting(PrometheusTextParser.Sample::value).isEqualTo(1.0);
        assertThat(durations.samples()).filteredOn(s -> s.name().endsWith("_sum")
                && s.labels().get("operation").equals("restore")).singleElement()
                .extracting(PrometheusTextParser.Sample::value).isEqualTo(0.44);
    }

    @Test
    void remoteRequestsAreOneCounterLabelledByRemoteAndMethod() {
        Map<String, PrometheusTextParser.Family> families =
                PrometheusTextParser.parse(StatsFormat.PROMETHEUS.render(report));

        PrometheusTextParser.Family requests = families.get("bake_cache_remote_requests_total");
        assertThat(requests.type()).isEqualTo("counter");
        assertThat(requests.samples()).extracting(s -> s.labels().get("remote") + " " + s.labels().get("method")
                + " " + (long) s.value()).containsExactly("shared-s3 HEAD 3", "shared-s3 PUT 12", "team \"b\"\\n GET 1");
        assertThat(families.keySet()).as("no request metric per remote or method")
                .filteredOn(name -> name.contains("request")).containsExactly("bake_cache_remote_requests_total");
    }

    @Test
    void eachJobThatSucceededHasALastSuccessTimestampInSeconds() {
        Map<String, PrometheusTextParser.Family> families =
                PrometheusTextParser.parse(StatsFormat.PROMETHEUS.render(report));

        PrometheusTextParser.Family gc = families.get("bake_cache_gc_last_success_timestamp_seconds");
        assertThat(gc.type()).isEqualTo("gauge");
        assertThat(gc.samples()).singleElement().extracting(PrometheusTextParser.Sample::value)
                .isEqualTo(GC_SUCCEEDED.toEpochMilli() / 1000.0);
        assertThat(StatsFormat.PROMETHEUS.render(report)).as("plain seconds, milliseconds kept")
                .contains("\nbake_cache_gc_last_success_timestamp_seconds 1740792612.345\n");
        assertThat(families).as("a job that never succeeded has no timestamp, not one in 1970")
                .doesNotContainKey("bake_cache_evict_last_success_timestamp_seconds");
    }

    @Test
    void theConfiguredMaxSizeIsAGauge() {
        PrometheusTextParser.Family maxSizeBytes = PrometheusTextParser.parse(StatsFormat.PROMETHEUS.render(report))
                .get("bake_cache_local_max_size_bytes");

        assertThat(maxSizeBytes.type()).isEqualTo("gauge");
        assertThat(maxSizeBytes.samples()).singleElement().extracting(PrometheusTextParser.Sample::value)
                .isEqualTo((double) maxSize);
    }

    @Test
    void textfileIsReplacedWholeAndLeavesNoTemporaryFileBehind() throws IOException {
        Path textfile = tmp.resolve("collector/bake_cache.prom");
        Files.createDirectories(textfile.getParent());
        Files.writeString(textfile, "stale\n");
        String exposition = StatsFormat.PROMETHEUS.render(report);
        PrometheusExposition.writeTextfile(exposition, textfile);
        assertThat(textfile).hasContent(exposition.stripTrailing());
        try (Stream<Path> files = Files.list(textfile.getParent())) {
            assertThat(files).containsExactly(textfile);
        }
    }

    @Test
    void textNamesTheRatiosAndPercentiles() {
        String text = StatsFormat.TEXT.render(report);
        assertThat(text).contains("manifests  2,").contains("1 unreadable").contains("hit rate 75.0%")
                .containsPattern("restore +2 recorded, p50 [0-9.]+ ms, p90 [0-9.]+ ms, p99 [0-9.]+ ms")
                .containsPattern("evicted_bytes +512")
                .containsPattern("max size +[0-9.]+ [KMG]iB, [0-9.]+% used")
                .containsPattern("remotes +requests HEAD 3, LIST 0, GET 1, PUT 12, DELETE 0\n")
                .containsPattern("  shared-s3 +HEAD 3, LIST 0, GET 0, PUT 12, DELETE 0\n")
                .containsPattern("last success:\n  gc +2025-03-01T01:30:12.345Z");
    }
}
