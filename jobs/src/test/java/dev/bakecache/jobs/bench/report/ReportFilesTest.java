package dev.bakecache.jobs.bench.report;

import dev.bakecache.engine.bench.BenchReport;
import dev.bakecache.engine.bench.ScenarioResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three reports of a fixed run, checked against files rendered before the reports moved out
 * of the engine: report.json is the result of a tiny run of every scenario, with a few timed
 * repetitions and some text a page must escape written in by hand; report.html.golden and
 * report.md.golden are what was rendered from it. The golden files end in .golden because they
 * are expected output, not source. A deliberate change of the reports renders them anew.
 */
class ReportFilesTest {

    private static final String INPUT = "report.json";

    @TempDir
    Path out;

    @Test
    void theReportsOfAFixedRunAreTheGoldenFilesByteForByte() throws IOException {
        ReportFiles.write(ReportJson.readReport(resource(INPUT)), out);

        assertThat(Files.readString(out.resolve(ReportFiles.HTML))).isEqualTo(resource("report.html.golden"));
        assertThat(Files.readString(out.resolve(ReportFiles.MARKDOWN))).isEqualTo(resource("report.md.golden"));
        assertThat(Files.readString(out.resolve(ReportFiles.JSON))).isEqualTo(resource(INPUT));
        try (var files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("written atomically: no .partial left").containsExactlyInAnyOrder(
                            ReportFiles.HTML, ReportFiles.MARKDOWN, ReportFiles.JSON);
        }
    }

    @Test
    void jsonHoldsTheRecordsUnderStableKeys() throws IOException {
        JsonNode json = JsonMapper.builder().build().readTree(ReportJson.write(report()));

        assertThat(json.propertyNames()).containsExactly("schema", "scale", "finished", "machine", "scenarios");
        for (JsonNode scenario : json.get("scenarios")) {
            assertThat(scenario.propertyNames())
                    .containsExactly("id", "title", "ratio", "comparisons", "notes", "memory", "seconds");
            assertThat(scenario.get("comparisons").get(0).propertyNames()).containsExactly(
                    "id", "title", "unit", "casLabel", "cas", "baselineLabel", "baseline", "ratio");
            assertThat(scenario.get("memory").propertyNames())
                    .containsExactly("heapPeakBytes", "rssPeakBytes", "rssEndBytes");
        }
    }

    @Test
    void aReportAndAScenarioResultReadBackAsWritten() throws IOException {
        BenchReport report = report();
        ScenarioResult first = report.scenarios().getFirst();

        assertThat(ReportJson.readReport(ReportJson.write(report))).isEqualTo(report);
        assertThat(ReportJson.readScenario(ReportJson.write(first))).isEqualTo(first);
    }

    @Test
    void htmlHasAChartPerScenarioAndAMemoryChartAndFetchesNothing() throws IOException {
        BenchReport report = report();
        String html = HtmlReport.render(report);

        assertThat(Pattern.compile("<svg ").matcher(html).results().count()).isEqualTo(report.scenarios().size() + 1);
        assertThat(html).doesNotContainPattern("(src|href)=\"(https?:)?//").doesNotContain("<script")
                .contains("&lt;node_modules&gt; &quot;shared&quot;").doesNotContain("<node_modules>");
    }

    @Test
    void markdownListsEveryScenarioInItsSummary() throws IOException {
        BenchReport report = report();
        String markdown = MarkdownReport.render(report);

        for (ScenarioResult scenario : report.scenarios()) {
            assertThat(markdown).contains("| " + scenario.id() + " |");
        }
    }

    private static BenchReport report() throws IOException {
        return ReportJson.readReport(resource(INPUT));
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = ReportFilesTest.class.getResourceAsStream(name)) {
            assertThat(in).as(name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
