package dev.bakecache.jobs;

import dev.bakecache.jobs.launch.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BenchCliTest {

    @TempDir
    Path tmp;

    @Test
    void benchWritesTheThreeReportsWithARatioPerScenario() throws IOException {
        Path out = tmp.resolve("report");

        CliRun run = CliRun.of("bench", "--scale", "small", "--scenarios", "incremental,dedup", "--out", out.toString());

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out()).startsWith("bench small: incremental ").contains("dedup ").contains(out.toString());
        assertThat(out.resolve("report.html")).isRegularFile();
        assertThat(out.resolve("report.md")).isRegularFile();
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(out.resolve("report.json")));
        assertThat(json.get("scenarios")).hasSize(2);
        assertThat(json.get("scenarios").get(0).get("id").asString()).isEqualTo("incremental");
        for (JsonNode scenario : json.get("scenarios")) {
            assertThat(scenario.get("ratio").asDouble()).isPositive();
        }
        assertThat(out.resolve("work")).as("scratch data is deleted").doesNotExist();
    }

    @Test
    void anUnknownScenarioIsAUsageErrorNamingTheKnownOnes() {
        CliRun run = CliRun.of("bench", "--scenarios", "incremental,warp", "--out", tmp.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("unknown scenario 'warp'").contains("incremental,restore,dedup");
    }

    @Test
    void anUnknownScaleIsAUsageError() {
        CliRun run = CliRun.of("bench", "--scale", "huge", "--out", tmp.toString());

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(run.err()).contains("unknown scale 'huge'");
    }
}
