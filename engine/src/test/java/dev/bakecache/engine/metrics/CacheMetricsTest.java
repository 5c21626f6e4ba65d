package dev.bakecache.engine.metrics;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CacheMetricsTest {

    @TempDir
    Path tmp;

    @Test
    void recordsFromOtherProcessesThreadsAndConnectionsAllAddUp() throws Exception {
        Path file = tmp.resolve("metrics.sqlite");
        List<Process> processes = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                    MetricsRecorderProcess.class.getName(), file.toString()).redirectErrorStream(true).start());
        }
        try (CacheMetrics first = CacheMetrics.open(file); CacheMetrics second = CacheMetrics.open(file)) {
            ExecutorService threads = Executors.newFixedThreadPool(4);
            List<Future<?>> running = new ArrayList<>();
            for (CacheMetrics metrics : List.of(first, second, first, second)) {
                running.add(threads.submit(() -> {
                    for (int i = 0; i < MetricsRecorderProcess.ADDS; i++) {
                        metrics.addAll(Map.of(Counter.RESTORE_HITS, 1L, Counter.DOWNLOADED_BYTES, 10L));
                    }
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
            threads.shutdown();
            for (Process process : processes) {
                String output = new String(process.getInputStream().readAllBytes());
                assertThat(process.waitFor()).as(output).isZero();
            }
            MetricsSnapshot snapshot = first.snapshot();
            assertThat(snapshot.get(Counter.RESTORE_HITS)).isEqualTo(6L * MetricsRecorderProcess.ADDS);
            assertThat(snapshot.get(Counter.DOWNLOADED_BYTES)).isEqualTo(4L * MetricsRecorderProcess.ADDS * 10);
            assertThat(snapshot.latencies().get("restore").count()).isEqualTo(2L * MetricsRecorderProcess.ADDS);
        }
    }

    @Test
    void countersAndLatenciesSurviveReopeningAndUntouchedCountersReadZero() {
        Path file = tmp.resolve("metrics.sqlite");
        try (CacheMetrics metrics = CacheMetrics.open(file)) {
            metrics.add(Counter.EVICTED_BYTES, 4096);
            metrics.recordLatency("ingest", Duration.ofMillis(30));
            metrics.recordLatency("ingest", Duration.ofSeconds(3));
        }
        try (CacheMetrics metrics = CacheMetrics.open(file)) {
            MetricsSnapshot snapshot = metrics.snapshot();
            assertThat(snapshot.get(Counter.EVICTED_BYTES)).isEqualTo(4096);
            assertThat(snapshot.get(Counter.GC_DELETED_BLOBS)).isZero();
            assertThat(snapshot.counters()).containsOnlyKeys(Counter.values());
            LatencyHistogram ingest = snapshot.latencies().get("ingest");
            assertThat(ingest.count()).isEqualTo(2);
            assertThat(ingest.sum()).isEqualTo(Duration.ofMillis(3030));
            assertThat(snapshot.restoreHitRatio()).as("no restores yet").isNaN();
        }
    }

    @Test
    void remoteRequestsAddUpPerRemoteAndMethod() {
        Path file = tmp.resolve("metrics.sqlite");
        RemoteRequest s3Put = new RemoteRequest("shared-s3", "PUT");
        RemoteRequest gcsGet = new RemoteRequest("shared-gcs", "GET");
        try (CacheMetrics metrics = CacheMetrics.open(file)) {
            metrics.addRemoteRequests(Map.of(s3Put, 10L, gcsGet, 0L));
        }
        try (CacheMetrics metrics = CacheMetrics.open(file)) {
            metrics.addRemoteRequests(Map.of(s3Put, 5L, gcsGet, 2L));
            assertThat(metrics.snapshot().remoteRequests()).containsExactly(Map.entry(gcsGet, 2L), Map.entry(s3Put, 15L));
            assertThatThrownBy(() -> metrics.addRemoteRequests(Map.of(s3Put, -1L)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shared-s3");
        }
    }

    @Test
    void aLastSuccessOnlyMovesForwardAndIsKeptPerJob() {
        Instant earlier = Instant.parse("2025-03-01T02:30:00.250Z");
        Instant later = earlier.plusSeconds(600);
        try (CacheMetrics metrics = CacheMetrics.open(tmp.resolve("metrics.sqlite"))) {
            metrics.recordSuccess("verify", later);
            metrics.recordSuccess("verify", earlier); // a share of an Indexed Job that finished first but reported last
            metrics.recordSuccess("gc", earlier);

            assertThat(metrics.snapshot().lastSuccesses()).containsExactly(Map.entry("gc", earlier), Map.entry("verify", later));
            assertThatThrownBy(() -> metrics.recordSuccess("Verify Job", later))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Verify Job'");
        }
    }

    @Test
    void aDamagedFileIsKeptAsideAndTheCountersStartAgain() throws Exception {
        Path file = tmp.resolve("metrics.sqlite");
        Files.write(file, "not a database, not at all".repeat(200).getBytes());

        try (CacheMetrics metrics = CacheMetrics.open(file)) {
            metrics.add(Counter.EVICTED_BYTES, 1);
            assertThat(metrics.snapshot().get(Counter.EVICTED_BYTES)).isEqualTo(1);
        }
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(name -> name.startsWith("metrics.sqlite.corrupt-"));
        }
    }

    @Test
    void countersOnlyGrowAndOperationNamesAreChecked() {
        try (CacheMetrics metrics = CacheMetrics.open(tmp.resolve("metrics.sqlite"))) {
            assertThatThrownBy(() -> metrics.add(Counter.RESTORE_HITS, -1))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("restore_hits");
            assertThatThrownBy(() -> metrics.recordLatency("Restore Job", Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'Restore Job'");
            assertThat(metrics.snapshot().get(Counter.RESTORE_HITS)).isZero();
        }
    }
}
