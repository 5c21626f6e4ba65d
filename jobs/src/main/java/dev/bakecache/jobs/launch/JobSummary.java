package dev.bakecache.jobs.launch;

import org.springframework.batch.core.scope.context.ChunkContext;

/**
 * Every job's last step leaves a one-line summary in the job's execution context; the CLI
 * prints it when the job completes.
 */
public final class JobSummary {

    static final String KEY = "bake.summary";

    private JobSummary() {
    }

    public static void record(ChunkContext context, String summary) {
        context.getStepContext().getStepExecution().getJobExecution().getExecutionContext().putString(KEY, summary);
    }
}
