package dev.bakecache.jobs.gc;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.gc.GarbageCollector;
import dev.bakecache.engine.gc.GcProgress;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.ShardRange;
import dev.bakecache.jobs.launch.JobSummary;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/**
 * Runs one step of the collector per iteration and keeps the {@link GcProgress} (phase, cursor
 * and running totals) in the step's execution context, so a killed run resumes in the phase and
 * at the page it was on. The mark is redone on resume: manifests may have changed meanwhile.
 *
 * <p>Not final: step scope proxies it.
 */
class GcTasklet implements Tasklet {

    static final String PROGRESS = "gc.progress";

    private final Duration grace;
    private final GarbageCollector collector;
    private final CacheMetrics metrics;

    GcTasklet(Duration grace, ShardRange shards, LocalCache cache, ProgressListener progress, CacheMetrics metrics) {
        this.grace = grace;
        this.collector = new GarbageCollector(cache, grace, shards, progress);
        this.metrics = metrics;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ExecutionContext state = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        GcProgress before = state.containsKey(PROGRESS)
                ? GcProgress.fromToken(state.getString(PROGRESS)) : GcProgress.START;
        GcProgress after = collector.collectSome(before);
        state.putString(PROGRESS, after.toToken());
        metrics.addAll(Map.of(Counter.GC_DELETED_BLOBS, after.soFar().swept() - before.soFar().swept(),
                Counter.GC_DELETED_BYTES, after.soFar().sweptBytes() - before.soFar().sweptBytes()));
        contribution.incrementWriteCount((int) (after.soFar().swept() - before.soFar().swept()));
        if (!after.done()) {
            return RepeatStatus.CONTINUABLE;
        }
        Duration elapsed = JobSummary.elapsed(chunkContext);
        metrics.recordLatency("gc", elapsed);
        JobSummary.record(chunkContext, after.soFar().summary(grace, elapsed));
        return RepeatStatus.FINISHED;
    }
}
