package dev.bakecache.jobs.launch;

import org.springframework.batch.core.scope.context.ChunkContext;

import java.time.Duration;
import java.time.LocalDateTime;

/**
 * Every job's last step leaves a one-line summary in the job's execution context; the CLI
 * prints it when the job completes. A report that is the job's output ({@code stats}) or that
 * lists findings after its summary line ({@code verify}) may span lines.
 */
public final class JobSummary {

    static final String KEY = "bake.summary";

    private JobSummary() {
    }

    public static void record(ChunkContext context, String summary) {
        context.getStepContext().getStepExecution().getJobExecution().getExecutionContext().putString(KEY, summary);
    }

    /** Time since this execution of the job started (a resumed run counts from its own start). */
    public static Duration elapsed(ChunkContext context) {
        LocalDateTime started = context.getStepContext().getStepExecution().getJobExecution().getStartTime();
        return started == null ? Duration.ZERO : Duration.between(started, LocalDateTime.now());
    }
}
