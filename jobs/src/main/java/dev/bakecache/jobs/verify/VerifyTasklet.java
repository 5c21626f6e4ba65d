package dev.bakecache.jobs.verify;

import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.verify.Finding;
import dev.bakecache.engine.verify.Verifier;
import dev.bakecache.engine.verify.VerifyProgress;
import dev.bakecache.engine.verify.VerifyReport;
import dev.bakecache.jobs.launch.ExitCodes;
import dev.bakecache.jobs.launch.JobSummary;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Runs one step of the verifier per iteration (a few shards of blobs or chunks, or a page of
 * manifests) and keeps the {@link VerifyProgress} (phase, cursor, running report and the step's
 * findings) in the step's execution context; the files found bad are moved to quarantine at the
 * start of the next iteration, once the findings are saved. So a killed run resumes at the unit
 * it was in, and no finding is lost with its file moved.
 *
 * <p>Not final: step scope proxies it.
 */
class VerifyTasklet implements Tasklet, StepExecutionListener {

    static final String PROGRESS = "verify.progress";

    private final Verifier verifier;
    private final CacheMetrics metrics;
    private final ProgressListener progress;

    VerifyTasklet(Verifier verifier, CacheMetrics metrics, ProgressListener progress) {
        this.verifier = verifier;
        this.metrics = metrics;
        this.progress = progress;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ExecutionContext state = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        VerifyProgress after = verifier.verifySome(progress(state), progress);
        state.putString(PROGRESS, after.toToken());
        if (!after.done()) {
            return RepeatStatus.CONTINUABLE;
        }
        VerifyReport report = after.soFar();
        Duration elapsed = JobSummary.elapsed(chunkContext);
        record(report, elapsed);
        contribution.incrementWriteCount(report.problemCount());
        JobSummary.record(chunkContext, report.withElapsed(elapsed).summary());
        return RepeatStatus.FINISHED;
    }

    private VerifyProgress progress(ExecutionContext state) {
        return state.containsKey(PROGRESS) ? VerifyProgress.fromToken(state.getString(PROGRESS))
                : verifier.start();
    }

    private void record(VerifyReport report, Duration elapsed) {
        Map<Finding.Problem, Long> problems = report.problems();
        metrics.addAll(Map.of(
                Counter.VERIFIED_BLOBS, report.blobsChecked(),
                Counter.QUARANTINED_BLOBS, problems.get(Finding.Problem.CORRUPT_BLOB)
                        + problems.get(Finding.Problem.CORRUPT_CHUNK),
                Counter.INVALID_MANIFESTS, problems.get(Finding.Problem.INVALID_MANIFEST),
                Counter.QUARANTINED_MANIFESTS, problems.get(Finding.Problem.INCOMPLETE_MANIFEST)));
        metrics.recordLatency("verify", elapsed);
    }

    /** A completed run that found anything ends with exit status CORRUPTION_FOUND, so the CLI exits non-zero. */
    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() == BatchStatus.COMPLETED
                && progress(stepExecution.getExecutionContext()).soFar().problemCount() > 0) {
            return new ExitStatus(ExitCodes.CORRUPTION_FOUND_EXIT_STATUS, "verify found corruption");
        }
        return stepExecution.getExitStatus();
    }
}
