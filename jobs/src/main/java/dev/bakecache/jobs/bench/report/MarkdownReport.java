package dev.bakecache.jobs.bench.report;

import dev.bakecache.engine.bench.BenchReport;
import dev.bakecache.engine.bench.Comparison;
import dev.bakecache.engine.bench.MemoryUse;
import dev.bakecache.engine.bench.ScenarioResult;
import dev.bakecache.engine.config.ByteSize;

import java.util.Locale;

/** report.md: the summary table, then every comparison of every scenario and its memory. */
final class MarkdownReport {

    private MarkdownReport() {
    }

    static String render(BenchReport report) {
        StringBuilder md = new StringBuilder();
        md.append("# bake-cache benchmark, scale ").append(report.scale()).append("\n\n");
        md.append("Measured ").append(ReportText.date(report)).append(" on ").append(ReportText.machine(report.machine()))
                .append(". ").append(ReportText.method()).append("; spread = (max - min) / median.\n\n");
        md.append(summaryTable(report)).append('\n');
        for (ScenarioResult scenario : report.scenarios()) {
            md.append("## ").append(scenario.title()).append("\n\n").append(scenario.notes()).append(".\n\n");
            md.append("| Measured | CAS | tar.zst / reference | Ratio |\n|---|---|---|---|\n");
            for (Comparison c : scenario.comparisons()) {
                md.append("| ").append(c.title()).append(" | ").append(c.casLabel()).append(": ")
                        .append(ReportText.measured(c.unit(), c.cas())).append(" | ")
                        .append(c.baseline() == null ? "—" : c.baselineLabel() + ": " + ReportText.measured(c.unit(), c.baseline()))
                        .append(" | ").append(ReportText.verdict(c)).append(" |\n");
            }
            MemoryUse memory = scenario.memory();
            md.append("\nPeak heap ").append(ByteSize.format(memory.heapPeakBytes())).append(", peak RSS ")
                    .append(ByteSize.format(memory.rssPeakBytes())).append(String.format(Locale.ROOT,
                            "; the scenario took %.1f s.%n%n", scenario.seconds()));
        }
        return md.toString();
    }

    /** The headline of each scenario in one table, medians alone: what the README quotes. */
    private static String summaryTable(BenchReport report) {
        StringBuilder md = new StringBuilder("| Scenario | Measured | CAS | tar.zst / reference | CAS is |\n|---|---|---|---|---|\n");
        for (ScenarioResult scenario : report.scenarios()) {
            Comparison c = scenario.headline();
            md.append("| ").append(scenario.id()).append(" | ").append(c.title()).append(" | ")
                    .append(ReportText.value(c.unit(), c.cas().median())).append(" | ")
                    .append(c.baseline() == null ? "—" : ReportText.value(c.unit(), c.baseline().median())).append(" | ")
                    .append(ReportText.verdict(c)).append(" |\n");
        }
        return md.toString();
    }
}
