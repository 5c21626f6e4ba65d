package dev.bakecache.jobs.migrate;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.migrate.LegacyCacheMigration;
import dev.bakecache.engine.migrate.MigrationProgress;
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
import java.nio.file.Path;

/**
 * Migrates one legacy archive per iteration and keeps the {@link MigrationProgress} (the last
 * archive done and the running outcome, rejections with their reasons included) in the step's
 * execution context, so a killed run resumes with the next archive. A rejected archive does not
 * stop the others: the step completes with the exit status {@link ExitCodes#REJECTED_EXIT_STATUS},
 * which the CLI turns into its own exit code.
 *
 * <p>Not final: step scope proxies it.
 */
class MigrateTasklet implements Tasklet, StepExecutionListener {

    static final String PROGRESS = "migrate.progress";

    private final LegacyCacheMigration migration;

    MigrateTasklet(Path legacyDir, boolean deleteAfterVerify, LocalCache cache, ProgressListener progress) {
        this.migration = new LegacyCacheMigration(legacyDir, deleteAfterVerify, cache, progress);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ExecutionContext state = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        MigrationProgress before = progress(state);
        MigrationProgress after = migration.migrateSome(before);
        state.putString(PROGRESS, after.toToken());
        contribution.incrementWriteCount((int) (after.soFar().migrated() - before.soFar().migrated()));
        if (!after.done()) {
            return RepeatStatus.CONTINUABLE;
        }
        JobSummary.record(chunkContext, migration.summary(after, JobSummary.elapsed(chunkContext)));
        return RepeatStatus.FINISHED;
    }

    private static MigrationProgress progress(ExecutionContext state) {
        return state.containsKey(PROGRESS) ? MigrationProgress.fromToken(state.getString(PROGRESS))
                : MigrationProgress.START;
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        boolean anyRejected = progress(stepExecution.getExecutionContext()).soFar().rejected() > 0;
        if (stepExecution.getStatus() == BatchStatus.COMPLETED && anyRejected) {
            return new ExitStatus(ExitCodes.REJECTED_EXIT_STATUS, "some legacy archives were rejected");
        }
        return stepExecution.getExitStatus();
    }
}
