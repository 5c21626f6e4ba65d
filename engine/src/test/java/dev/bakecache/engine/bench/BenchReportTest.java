package dev.bakecache.engine.bench;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs every scenario once at a tiny scale and checks the three reports made of the results. */
class BenchReportTest {

    @TempDir
    static Path dir;

    static BenchReport report;

    @BeforeAll
    static void runEveryScenario() throws IOException {
        BenchWorkspace workspace = new BenchWorkspace(dir.resolve("work"), TinyScale.TINY);
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario scenario : Scenarios.all()) {
            results.add(workspace.run(scenario));
        }
        report = new BenchReport(BenchReport.SCHEMA, "tiny", Instant.parse("2026-01-02T03:04:05Z"), Machine.current(),
                results);
        ReportFiles.write(report, dir.resolve("out"));
    }

    @Test
    void jsonHoldsARatioPerScenarioUnderStableKeys() throws IOException {
        JsonNode json = JsonMapper.builder().build().readTree(Files.readString(dir.resolve("out/report.json")));

        assertThat(json.propertyNames()).containsExactly("schema", "scale", "finished", "machine", "scenarios");
        assertThat(json.get("scenarios")).hasSize(Scenarios.all().size());
        for (JsonNode scenario : json.get("scenarios")) {
            assertThat(scenario.propertyNames())
                    .containsExactly("id", "title", "ratio", "comparisons", "notes", "memory", "seconds");
            assertThat(scenario.get("ratio").asDouble()).as(scenario.get("id").asString()).isPositive();
            assertThat(scenario.get("comparisons").get(0).propertyNames()).containsExactly(
                    "id", "title", "unit", "casLabel", "cas", "baselineLabel", "baseline", "ratio");
            assertThat(scenario.get("memory").get("heapPeakBytes").asLong()).isPositive();
        }
    }

    @Test
    void jsonReadsBackAsTheSameReport() throws IOException {
        assertThat(ReportJson.readReport(Files.readString(dir.resolve("out/report.json")))).isEqualTo(report);
    }

    @Test
    void htmlHasAChartPerScenarioAndAMemoryChartAndFetchesNothing() throws IOException {
        String html = Files.readString(dir.resolve("out/report.html"));

        assertThat(Pattern.compile("<svg ").matcher(html).results().count()).isEqualTo(Scenarios.all().size() + 1);
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("<script");
    }

    @Test
    void markdownListsEveryScenarioInItsSummary() throws IOException {
        String markdown = Files.readString(dir.resolve("out/report.md"));

        for (Scenario scenario : Scenarios.all()) {
            assertThat(markdown).contains("| " + scenario.id() + " |");
        }
    }

    @Test
    void sharedRecipesAreStoredInFewerBytesThanTheirArchives() {
        assertThat(comparison("dedup", "storedBytes").ratio()).isGreaterThan(1);
    }

    @Test
    void aSmallEditOfALargeFileStoresLessThanTheFile() {
        Comparison edit = comparison("largefile", "editStoredBytes");

        assertThat(edit.cas().max()).isPositive().isLessThan(TinyScale.TINY.largeFileBytes() / 2.0);
    }

    private static Comparison comparison(String scenario, String id) {
        return report.scenarios().stream().filter(s -> s.id().equals(scenario)).findFirst().orElseThrow()
                .comparisons().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }
}
