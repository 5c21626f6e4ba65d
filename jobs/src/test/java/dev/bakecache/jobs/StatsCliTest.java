package dev.bakecache.jobs;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code stats} from the command line, after the jobs have recorded some work. */
class StatsCliTest {

    /** Shared by the tests, which only read the cache: one set-up of three CLI runs. */
    @TempDir
    static Path tmp;

    private static String cache() {
        return tmp.resolve("cache").toString();
    }

    @BeforeAll
    static void ingestRestoreAndMiss() throws IOException {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        CliRun.of("ingest", "--cache", cache(), "--key", "web", "--dir", outputs.toString());
        CliRun.of("restore", "--cache", cache(), "--key", "web", "--dir", tmp.resolve("r").toString());
        CliRun.of("restore", "--cache", cache(), "--key", "absent", "--dir", tmp.resolve("r2").toString());
    }

    @Test
    void textIsTheDefault() {
        CliRun run = CliRun.of("stats", "--cache", cache());
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("manifests  1,").contains("1 hits, 1 misses, hit rate 50.0%")
                .containsPattern("ingest +1 recorded").containsPattern("restore +1 recorded")
                .containsPattern("ingested_files +22");
    }

    @Test
    void jsonCountsWhatTheJobsRecorded() {
        CliRun run = CliRun.of("stats", "--cache", cache(), "--format", "json");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        JsonNode json = JsonMapper.builder().build().readTree(run.out());
        assertThat(json.get("counters").get("restore_hits").asLong()).isEqualTo(1);
        assertThat(json.get("counters").get("restore_misses").asLong()).isEqualTo(1);
        assertThat(json.get("counters").get("restored_files").asLong()).isEqualTo(22);
        assertThat(json.get("blobs").get("count").asLong()).isEqualTo(22);
        assertThat(json.get("latencies").get("restore").get("count").asLong()).isEqualTo(1);
        assertThat(json.get("lastSuccess").propertyNames()).as("the hit restored; the miss exited 7")
                .contains("ingest", "restore");
    }

    @Test
    void prometheusGoesToStdoutOrAtomicallyToATextfile() throws IOException {
        CliRun run = CliRun.of("stats", "--cache", cache(), "--format", "prometheus");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).contains("# TYPE bake_cache_restore_hits_total counter\nbake_cache_restore_hits_total 1\n")
                .contains("bake_cache_operation_duration_seconds_count{operation=\"restore\"} 1\n");

        Path textfile = tmp.resolve("node-exporter/bake_cache.prom");
        CliRun toFile = CliRun.of("stats", "--cache", cache(), "--textfile", textfile.toString());
        assertThat(toFile.exitCode()).as(toFile.toString()).isZero();
        assertThat(toFile.out()).startsWith("wrote prometheus statistics of ").contains(textfile.toString());
        assertThat(Files.readString(textfile)).startsWith("# HELP bake_cache_entries ")
                .contains("bake_cache_restore_misses_total 1\n");
    }

    @Test
    void everyJobThatExitedZeroHasALastSuccessTimestampAndACacheMissDoesNot() {
        String cache = tmp.resolve("miss-only").toString();
        CliRun.of("ingest", "--cache", cache, "--key", "web", "--dir", tmp.resolve("outputs").toString());
        CliRun miss = CliRun.of("restore", "--cache", cache, "--key", "absent", "--dir", tmp.resolve("r3").toString());
        assertThat(miss.exitCode()).as(miss.toString()).isEqualTo(7);

        CliRun run = CliRun.of("stats", "--cache", cache, "--format", "prometheus");
        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).containsPattern("\nbake_cache_ingest_last_success_timestamp_seconds 1[0-9]{9}(\\.[0-9]+)?\n")
                .doesNotContain("bake_cache_restore_last_success_timestamp_seconds")
                .contains("# TYPE bake_cache_local_max_size_bytes gauge\n");
    }

    @Test
    void statsNeedsNoSigningSecretAndRefusesATextfileInAnotherFormat() throws IOException {
        Path config = Files.writeString(tmp.resolve("bake.yaml"), """
                cache:
                  verification:
                    secretEnv: BAKE_CACHE_TEST_UNSET_SECRET
                """);
        CliRun run = CliRun.of("stats", "--config", config.toString(), "--cache", cache(), "--format", "json");
        assertThat(run.exitCode()).as(run.toString()).isZero();

        CliRun mixed = CliRun.of("stats", "--cache", cache(), "--format", "json", "--textfile", tmp.resolve("x.prom").toString());
        assertThat(mixed.exitCode()).isEqualTo(2);
        assertThat(mixed.err()).contains("--textfile writes the prometheus format");
        assertThat(CliRun.of("stats", "--cache", cache(), "--format", "yaml").err()).contains("unknown stats format 'yaml'");
    }
}
