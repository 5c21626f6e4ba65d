package dev.bakecache.jobs.bench.report;

import dev.bakecache.engine.bench.BenchReport;
import dev.bakecache.engine.bench.Comparison;
import dev.bakecache.engine.bench.MemoryUse;
import dev.bakecache.engine.bench.ScenarioResult;
import dev.bakecache.engine.bench.Stats;
import dev.bakecache.engine.bench.Unit;
import dev.bakecache.engine.config.ByteSize;

import java.util.ArrayList;
import java.util.List;

/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) with
 * the summary table, a chart per scenario and a chart of each scenario's peak memory.
 */
final class HtmlReport {

    private static final String STYLE = """
            body{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}
            table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}
            th{background:#f2f4f5}.ratio{font-weight:bold;color:#1f7a8c}.note{color:#555}
            .legend span{display:inline-block;width:12px;height:12px;margin:0 4px 0 12px;vertical-align:middle}
            """;

    private HtmlReport() {
    }

    static String render(BenchReport report) {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        html.append("<title>bake-cache benchmark (").append(report.scale()).append(")</title>\n<style>")
                .append(STYLE).append("</style></head><body>\n");
        html.append("<h1>bake-cache benchmark, scale ").append(esc(report.scale())).append("</h1>\n");
        html.append("<p class=\"note\">Measured ").append(ReportText.date(report)).append(" on ")
                .append(esc(ReportText.machine(report.machine()))).append(". ").append(esc(ReportText.method()))
                .append("; CAS engine against one tar.zst archive per recipe (zstd level 3), in the same run.</p>\n");
        html.append("<p class=\"legend\"><span style=\"background:").append(SvgBarChart.CAS_COLOR)
                .append("\"></span>CAS engine<span style=\"background:").append(SvgBarChart.BASELINE_COLOR)
                .append("\"></span>tar.zst / reference</p>\n");
        html.append(summary(report));
        for (ScenarioResult scenario : report.scenarios()) {
            html.append("<h2 id=\"").append(esc(scenario.id())).append("\">").append(esc(scenario.title())).append("</h2>\n");
            html.append("<p class=\"note\">").append(esc(scenario.notes())).append(".</p>\n");
            html.append(chart(scenario).render(scenario.title()));
        }
        html.append("<h2 id=\"memory\">Peak memory per scenario</h2>\n<p class=\"note\">Used heap sampled every 5 ms;"
                + " RSS peak from /proc/self/status (VmHWM), reset before each scenario where the kernel allows.</p>\n");
        html.append(memoryChart(report).render("Peak memory per scenario"));
        return html.append("</body></html>\n").toString();
    }

    private static String summary(BenchReport report) {
        StringBuilder table = new StringBuilder("<table><tr><th>Scenario</th><th>Measured</th><th>CAS</th>"
                + "<th>tar.zst / reference</th><th>CAS is</th></tr>\n");
        for (ScenarioResult scenario : report.scenarios()) {
            Comparison c = scenario.headline();
            table.append("<tr><td><a href=\"#").append(esc(scenario.id())).append("\">").append(esc(scenario.id()))
                    .append("</a></td><td>").append(esc(c.title())).append("</td><td>")
                    .append(esc(ReportText.measured(c.unit(), c.cas()))).append("</td><td>")
                    .append(c.baseline() == null ? "—" : esc(ReportText.measured(c.unit(), c.baseline())))
                    .append("</td><td class=\"ratio\">").append(esc(ReportText.verdict(c))).append("</td></tr>\n");
        }
        return table.append("</table>\n").toString();
    }

    /** A group per comparison: the CAS bar, and the reference's where there is one. */
    private static SvgBarChart chart(ScenarioResult scenario) {
        SvgBarChart chart = new SvgBarChart();
        for (Comparison c : scenario.comparisons()) {
            List<SvgBarChart.Bar> bars = new ArrayList<>();
            bars.add(bar(c.casLabel(), c.unit(), c.cas(), SvgBarChart.CAS_COLOR));
            if (c.baseline() != null) {
                bars.add(bar(c.baselineLabel(), c.unit(), c.baseline(), SvgBarChart.BASELINE_COLOR));
            }
            String verdict = ReportText.verdict(c);
            chart.group(c.title() + (verdict.isEmpty() ? "" : " — CAS " + verdict), bars);
        }
        return chart;
    }

    /** A bar as long as the median, labelled with the median and its spread. */
    private static SvgBarChart.Bar bar(String label, Unit unit, Stats stats, String color) {
        return new SvgBarChart.Bar(label, stats.median(), ReportText.measured(unit, stats), color);
    }

    private static SvgBarChart memoryChart(BenchReport report) {
        SvgBarChart chart = new SvgBarChart();
        for (ScenarioResult scenario : report.scenarios()) {
            MemoryUse memory = scenario.memory();
            chart.group(scenario.id(), List.of(
                    new SvgBarChart.Bar("peak heap", memory.heapPeakBytes(), ByteSize.format(memory.heapPeakBytes()),
                            SvgBarChart.CAS_COLOR),
                    new SvgBarChart.Bar("peak RSS", memory.rssPeakBytes(), ByteSize.format(memory.rssPeakBytes()),
                            SvgBarChart.BASELINE_COLOR)));
        }
        return chart;
    }

    private static String esc(String text) {
        return SvgBarChart.escape(text);
    }
}
