package dev.bakecache.jobs.replicate;

import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.replicate.ManifestProgress;
import dev.bakecache.engine.replicate.ReplicationReport;
import dev.bakecache.engine.replicate.Replicator;
import dev.bakecache.engine.replicate.ShardCopy;
import dev.bakecache.engine.store.ShardRange;
import dev.bakecache.engine.tier.RequestCounter;
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
 * The last step of a replicate run: manifests, a page per iteration, after every shard partition
 * is done, so a manifest reaches the target only once its blobs have. The {@link ManifestProgress}
 * (cursor and running counts) lives in the step's execution context; a killed run resumes at its
 * page. Then the summary line, the metrics and the exit status: corruption found at the source,
 * or manifests rejected, make the CLI exit non-zero.
 *
 * <p>Not final: step scope proxies it.
 */
class ManifestTasklet implements Tasklet, StepExecutionListener {

    static final String PROGRESS = "replicate.progress";

    private final String from;
    private final String to;
    private final ShardRange shards;
    private final ReplicationTiers tiers;
    private final ReplicationTotals totals;
    private final CacheMetrics metrics;
    private Replicator replicator;

    ManifestTasklet(String from, String to, ShardRange shards, ReplicationTiers tiers, ReplicationTotals totals,
                    CacheMetrics metrics) {
        this.from = from;
        this.to = to;
        this.shards = shards;
        this.tiers = tiers;
        this.totals = totals;
        this.metrics = metrics;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ExecutionContext state = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        if (replicator == null) {
            replicator = tiers.replicator(from, to);
        }
        ManifestProgress before = progress(state);
        ManifestProgress after = replicator.copyManifestPage(before);
        state.putString(PROGRESS, after.toToken());
        contribution.incrementWriteCount(after.soFar().copied() - before.soFar().copied());
        if (!after.done()) {
            return RepeatStatus.CONTINUABLE;
        }
        Duration elapsed = JobSummary.elapsed(chunkContext);
        ShardCopy blobs = totals.total();
        metrics.addAll(Map.of(Counter.REPLICATED_BLOBS, blobs.copied(), Counter.REPLICATED_BYTES, blobs.copiedBytes(),
                Counter.REPLICATED_MANIFESTS, after.soFar().copied()));
        metrics.addRemoteRequests(RequestCounter.byRemote(tiers.remotes()));
        metrics.recordLatency("replicate", elapsed);
        JobSummary.record(chunkContext, new ReplicationReport(from, to, shards, totals.shards(), blobs, after.soFar())
                .summary(tiers.requestSummary(), elapsed));
        return RepeatStatus.FINISHED;
    }

    private static ManifestProgress progress(ExecutionContext state) {
        return state.containsKey(PROGRESS) ? ManifestProgress.fromToken(state.getString(PROGRESS)) : ManifestProgress.START;
    }

    /** Corruption outranks rejection: both are reported, the exit code names the worse. */
    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() != BatchStatus.COMPLETED) {
            return stepExecution.getExitStatus();
        }
        if (!totals.total().corrupt().isEmpty()) {
            return new ExitStatus(ExitCodes.CORRUPTION_FOUND_EXIT_STATUS, "corrupt blobs at the source");
        }
        if (!progress(stepExecution.getExecutionContext()).soFar().rejected().isEmpty()) {
            return new ExitStatus(ExitCodes.REJECTED_EXIT_STATUS, "manifests rejected");
        }
        return stepExecution.getExitStatus();
    }
}
