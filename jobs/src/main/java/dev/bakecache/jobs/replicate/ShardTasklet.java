package dev.bakecache.jobs.replicate;

import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.replicate.ShardCopy;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.io.IOException;

/**
 * One partition of a replicate run: the blobs and chunks of one shard. A partition either
 * completes or is run again on restart; a rerun lists the target shard first, so whatever the
 * killed attempt had copied is not copied twice.
 *
 * <p>Not final: step scope proxies it.
 */
class ShardTasklet implements Tasklet {

    static final String SHARD = "shard";

    private final int shard;
    private final String from;
    private final String to;
    private final ReplicationTiers tiers;
    private final ReplicationTotals totals;
    private final ProgressListener progress;

    ShardTasklet(int shard, String from, String to, ReplicationTiers tiers, ReplicationTotals totals,
                 ProgressListener progress) {
        this.shard = shard;
        this.from = from;
        this.to = to;
        this.tiers = tiers;
        this.totals = totals;
        this.progress = progress;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ShardCopy copy = tiers.replicator(from, to).copyShard(shard, progress);
        totals.add(copy);
        contribution.incrementWriteCount(copy.copied());
        return RepeatStatus.FINISHED;
    }
}
