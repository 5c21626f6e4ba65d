package dev.bakecache.jobs.restore;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.restore.RestoreReport;
import dev.bakecache.jobs.launch.JobSummary;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Restores one manifest. Its restart state lives with the restorer: restore records saved
 * every few hundred files, so a run after a crash skips the files already written and verified.
 *
 * <p>Not final: step scope proxies it.
 */
class RestoreTasklet implements Tasklet {

    private final String key;
    private final Path target;
    private final LocalCache cache;
    private final ProgressListener progress;

    RestoreTasklet(String key, Path target, LocalCache cache, ProgressListener progress) {
        this.key = key;
        this.target = target;
        this.cache = cache;
        this.progress = progress;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ActionResult manifest = cache.actions().get(key).orElseThrow(() -> new IllegalArgumentException(
                "no manifest for key '" + key + "' in " + cache.layout().actionCacheDir()));
        progress.planned(manifest.outputFiles().size(), manifest.totalBytes());
        RestoreReport report = cache.restorer().restore(manifest, target, progress);
        cache.recordReads(report);
        contribution.incrementWriteCount(report.filesWritten() + report.filesLinked());
        JobSummary.record(chunkContext, report.summary() + " into " + target);
        return RepeatStatus.FINISHED;
    }
}
