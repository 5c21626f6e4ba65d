package dev.bakecache.jobs.evict;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.LocalConfig;
import dev.bakecache.engine.evict.EvictionProgress;
import dev.bakecache.engine.evict.Evictor;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.jobs.launch.JobSummary;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * Evicts one page of candidates per iteration and keeps the {@link EvictionProgress} (cursor and
 * running totals) in the step's execution context, so a killed run resumes at the page it was on
 * and goes on down to the low-water mark.
 *
 * <p>Not final: step scope proxies it.
 */
class EvictTasklet implements Tasklet {

    static final String PROGRESS = "evict.progress";

    private final Evictor evictor;
    private final CacheMetrics metrics;

    EvictTasklet(LocalConfig limits, LocalCache cache, ProgressListener progress, CacheMetrics metrics) {
        this.evictor = new Evictor(cache, limits, Evictor.IN_FLIGHT_MARGIN, Set.of(), progress);
        this.metrics = metrics;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ExecutionContext state = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        EvictionProgress before = state.containsKey(PROGRESS)
                ? EvictionProgress.fromToken(state.getString(PROGRESS)) : EvictionProgress.START;
        EvictionProgress after = evictor.evictPage(before);
        state.putString(PROGRESS, after.toToken());
        metrics.addAll(Map.of(Counter.EVICTED_BLOBS, after.blobsDeleted() - before.blobsDeleted(),
                Counter.EVICTED_BYTES, after.bytesFreed() - before.bytesFreed(),
                Counter.EVICTED_MANIFESTS, after.manifestsDeleted() - before.manifestsDeleted()));
        contribution.incrementWriteCount((int) (after.blobsDeleted() - before.blobsDeleted()));
        if (!after.finished()) {
            return RepeatStatus.CONTINUABLE;
        }
        Duration elapsed = JobSummary.elapsed(chunkContext);
        metrics.recordLatency("evict", elapsed);
        JobSummary.record(chunkContext, evictor.report(after, elapsed).summary());
        return RepeatStatus.FINISHED;
    }
}
