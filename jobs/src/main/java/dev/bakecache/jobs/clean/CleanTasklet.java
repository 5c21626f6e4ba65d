package dev.bakecache.jobs.clean;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.clean.CacheCleaner;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.jobs.launch.JobSummary;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.io.IOException;
import java.util.Map;

/**
 * Empties the local tier. No restart state: cleaning is idempotent, a resumed run cleans what
 * is left. The cache is opened without manifest verification, since nothing is read from
 * manifests that are about to be deleted, so clean needs no signing secret.
 *
 * <p>Not final: step scope proxies it.
 */
class CleanTasklet implements Tasklet {

    private final CacheConfig config;
    private final ProgressListener progress;

    CleanTasklet(CacheConfig config, ProgressListener progress) {
        this.config = config;
        this.progress = progress;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        try (LocalCache cache = LocalCache.open(config.withoutManifestVerification(), Map.of())) {
            JobSummary.record(chunkContext, new CacheCleaner(cache).clean(progress).summary());
        }
        return RepeatStatus.FINISHED;
    }
}
