package dev.bakecache.jobs.bench;

import dev.bakecache.engine.files.FileTrees;
import dev.bakecache.engine.bench.BenchReport;
import dev.bakecache.engine.bench.BenchScale;
import dev.bakecache.engine.bench.BenchWorkspace;
import dev.bakecache.engine.bench.Machine;
import dev.bakecache.engine.bench.Scenario;
import dev.bakecache.engine.bench.ScenarioResult;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.jobs.bench.report.ReportFiles;
import dev.bakecache.jobs.bench.report.ReportJson;
import dev.bakecache.jobs.launch.JobSummary;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Runs the chosen scenarios one per call, keeping each finished scenario's result (as JSON) in the
 * step's execution context: a killed bench, run again with the same options, resumes with the
 * scenarios not yet done. Scenarios work in {@code DIR/work}, which is deleted at the end; the
 * reports go to {@code DIR}.
 *
 * <p>Not final: step scope proxies it.
 */
class BenchTasklet implements Tasklet {

    static final String RESULT_PREFIX = "bench.result.";

    private final Path out;
    private final BenchScale scale;
    private final List<Scenario> scenarios;
    private final ProgressListener progress;
    private boolean progressPlanned;

    BenchTasklet(Path out, BenchScale scale, List<Scenario> scenarios, ProgressListener progress) {
        this.out = out;
        this.scale = scale;
        this.scenarios = scenarios;
        this.progress = progress;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ExecutionContext state = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        List<Scenario> pending = scenarios.stream().filter(s -> !state.containsKey(RESULT_PREFIX + s.id())).toList();
        if (!progressPlanned) {
            progress.planned(scenarios.size(), 0);
            progress.advanced(scenarios.size() - pending.size(), 0);
            progressPlanned = true;
        }
        Path work = out.resolve("work");
        if (!pending.isEmpty()) {
            Scenario next = pending.getFirst();
            ScenarioResult result = new BenchWorkspace(work, scale).run(next);
            state.putString(RESULT_PREFIX + next.id(), ReportJson.write(result));
            contribution.incrementWriteCount(1);
            progress.advanced(1, 0);
            return RepeatStatus.CONTINUABLE;
        }
        List<ScenarioResult> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            results.add(ReportJson.readScenario(state.getString(RESULT_PREFIX + scenario.id())));
        }
        BenchReport report = new BenchReport(BenchReport.SCHEMA, scale.id(), Instant.now(), Machine.current(), results);
        ReportFiles.write(report, out);
        FileTrees.deleteTree(work);
        JobSummary.record(chunkContext, summary(report));
        return RepeatStatus.FINISHED;
    }

    /** "bench small: incremental 143x, restore 260x, dedup 7.9x; wrote report.html, report.md, report.json to DIR". */
    private String summary(BenchReport report) {
        String ratios = report.scenarios().stream()
                .map(s -> s.id() + " " + (s.ratio() == null ? "-" : String.format(Locale.ROOT, "%.1fx", s.ratio())))
                .collect(Collectors.joining(", "));
        return "bench " + scale.id() + ": " + ratios + " (CAS vs tar.zst); wrote " + ReportFiles.HTML + ", "
                + ReportFiles.MARKDOWN + ", " + ReportFiles.JSON + " to " + out;
    }
}
