package dev.bakecache.jobs.migrate;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.ByteSize;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.migrate.LegacyArchiveMigrator;
import dev.bakecache.engine.migrate.MigrationOutcome;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Migrates the archives of a legacy cache folder, one archive per call, in name order. After
 * each, the step's execution context records the last archive done and the running outcome
 * (counts, totals, the rejected archives with their reasons), so a killed run resumes with the
 * next archive; one interrupted half-way is simply migrated again, its stored blobs costing no
 * second write. A rejected archive does not stop the others: the step completes with the exit
 * status {@link ExitCodes#REJECTED_EXIT_STATUS}, which the CLI turns into its own exit code.
 *
 * <p>Not final: step scope proxies it.
 */
class MigrateTasklet implements Tasklet, StepExecutionListener {

    static final String LAST_ARCHIVE = "migrate.lastArchive";
    static final String MIGRATED = "migrate.migrated";
    static final String SKIPPED = "migrate.skipped";
    static final String REJECTED = "migrate.rejected";
    static final String DELETED = "migrate.deleted";
    static final String FILES = "migrate.files";
    static final String BYTES = "migrate.bytes";
    static final String NEW_BYTES = "migrate.newBytes";
    static final String REJECTIONS = "migrate.rejections";

    private final Path legacyDir;
    private final boolean deleteAfterVerify;
    private final LegacyArchiveMigrator migrator;
    private final ProgressListener progress;
    private List<Path> pending;

    MigrateTasklet(Path legacyDir, boolean deleteAfterVerify, LocalCache cache, ProgressListener progress) {
        this.legacyDir = legacyDir;
        this.deleteAfterVerify = deleteAfterVerify;
        this.migrator = new LegacyArchiveMigrator(cache);
        this.progress = progress;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ExecutionContext state = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        if (pending == null) {
            pending = archivesAfter(state.containsKey(LAST_ARCHIVE) ? state.getString(LAST_ARCHIVE) : null);
            long bytes = 0;
            for (Path archive : pending) {
                bytes += Files.size(archive);
            }
            progress.planned(pending.size(), bytes);
        }
        if (!pending.isEmpty()) {
            Path archive = pending.removeFirst();
            long archiveBytes = Files.size(archive);
            MigrationOutcome outcome = migrator.migrate(archive, deleteAfterVerify);
            record(outcome, state);
            state.putString(LAST_ARCHIVE, archive.getFileName().toString());
            contribution.incrementWriteCount(outcome.status() == MigrationOutcome.Status.MIGRATED ? 1 : 0);
            progress.advanced(1, archiveBytes);
        }
        if (!pending.isEmpty()) {
            return RepeatStatus.CONTINUABLE;
        }
        JobSummary.record(chunkContext, summary(state, chunkContext));
        return RepeatStatus.FINISHED;
    }

    private List<Path> archivesAfter(String lastDone) throws IOException {
        List<Path> archives = new ArrayList<>();
        for (Path archive : LegacyArchiveMigrator.archivesIn(legacyDir)) {
            if (lastDone == null || archive.getFileName().toString().compareTo(lastDone) > 0) {
                archives.add(archive);
            }
        }
        return archives;
    }

    private static void record(MigrationOutcome outcome, ExecutionContext state) {
        String counter = switch (outcome.status()) {
            case MIGRATED -> MIGRATED;
            case SKIPPED -> SKIPPED;
            case REJECTED -> REJECTED;
        };
        add(state, counter, 1);
        add(state, DELETED, outcome.deleted() ? 1 : 0);
        add(state, FILES, outcome.files());
        add(state, BYTES, outcome.bytes());
        add(state, NEW_BYTES, outcome.newBytes());
        if (outcome.status() == MigrationOutcome.Status.REJECTED) {
            state.putString(REJECTIONS, state.getString(REJECTIONS, "") + "\n" + outcome.describe());
        }
    }

    private static void add(ExecutionContext state, String key, long amount) {
        state.putLong(key, state.getLong(key, 0) + amount);
    }

    /**
     * e.g. {@code migrated 48 of 50 archives from /legacy (1 skipped, 1 rejected): 5000 files,
     * 12 MiB, 3 MiB new, in 1.234 s}, followed by one line per rejected archive with its reason.
     */
    private String summary(ExecutionContext state, ChunkContext chunkContext) {
        LocalDateTime started = chunkContext.getStepContext().getStepExecution().getJobExecution().getStartTime();
        Duration elapsed = started == null ? Duration.ZERO : Duration.between(started, LocalDateTime.now());
        long migrated = state.getLong(MIGRATED, 0);
        long skipped = state.getLong(SKIPPED, 0);
        long rejected = state.getLong(REJECTED, 0);
        return String.format(Locale.ROOT, "migrated %d of %d archives from %s (%d skipped, %d rejected%s): %d files,"
                        + " %s, %s new, in %.3f s",
                migrated, migrated + skipped + rejected, legacyDir, skipped, rejected,
                deleteAfterVerify ? ", " + state.getLong(DELETED, 0) + " deleted after verification" : "",
                state.getLong(FILES, 0), ByteSize.format(state.getLong(BYTES, 0)),
                ByteSize.format(state.getLong(NEW_BYTES, 0)), elapsed.toNanos() / 1e9)
                + state.getString(REJECTIONS, "");
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        boolean anyRejected = stepExecution.getExecutionContext().getLong(REJECTED, 0) > 0;
        if (stepExecution.getStatus() == BatchStatus.COMPLETED && anyRejected) {
            return new ExitStatus(ExitCodes.REJECTED_EXIT_STATUS, "some legacy archives were rejected");
        }
        return stepExecution.getExitStatus();
    }
}
