package dev.bakecache.jobs.restore;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.layered.TierSync;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.restore.RestoreReport;
import dev.bakecache.jobs.launch.ExitCodes;
import dev.bakecache.jobs.launch.JobSummary;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Restores one manifest. When the strategy reads remotes, a manifest or blobs missing locally
 * are first fetched into the local tier ({@link TierSync#pull}), and the restore runs on the
 * local tier as ever. Its restart state lives with the restorer: restore records saved
 * every few hundred files, so a run after a crash skips the files already written and verified.
 * A key no tier holds is a cache miss: the run completes with exit status
 * {@link ExitCodes#CACHE_MISS_EXIT_STATUS} and writes nothing.
 *
 * <p>Not final: step scope proxies it.
 */
class RestoreTasklet implements Tasklet {

    private final String key;
    private final Path target;
    private final LocalCache cache;
    private final ProgressListener progress;
    private final CacheMetrics metrics;

    RestoreTasklet(String key, Path target, LocalCache cache, ProgressListener progress, CacheMetrics metrics) {
        this.key = key;
        this.target = target;
        this.cache = cache;
        this.progress = progress;
        this.metrics = metrics;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        try (TierSync remotes = TierSync.open(cache, System.getenv())) {
            try {
                remotes.pull(key);
            } finally {
                metrics.addRemoteRequests(remotes.remoteRequests());
            }
            JobSummary.record(chunkContext, remotes.appendTo(restore(contribution, remotes)));
        }
        return RepeatStatus.FINISHED;
    }

    private String restore(StepContribution contribution, TierSync remotes) throws IOException {
        Optional<ActionResult> found = cache.actions().get(key);
        if (found.isEmpty()) {
            metrics.add(Counter.RESTORE_MISSES, 1);
            // a miss completes: it leaves no failed run behind for a later command to resume
            contribution.setExitStatus(new ExitStatus(ExitCodes.CACHE_MISS_EXIT_STATUS));
            // the warnings say when a remote that might have had it could not be asked
            return "cache miss: no manifest for key '" + key + "' in " + cache.layout().actionCacheDir()
                    + "; nothing was written";
        }
        ActionResult manifest = found.get();
        progress.planned(manifest.outputFiles().size(), manifest.totalBytes());
        RestoreReport report = cache.restorer().restore(manifest, target, progress);
        cache.recordReads(report);
        metrics.addAll(Map.of(Counter.RESTORE_HITS, 1L,
                Counter.RESTORED_FILES, report.filesWritten() + report.filesLinked(),
                Counter.RESTORE_SKIPPED_FILES, report.filesSkipped(),
                Counter.DOWNLOADED_BYTES, report.bytesWritten()));
        metrics.recordLatency("restore", report.elapsed());
        contribution.incrementWriteCount(report.filesWritten() + report.filesLinked());
        return report.summary() + " into " + target;
    }
}
