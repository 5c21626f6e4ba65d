package dev.bakecache.jobs.replicate;

import dev.bakecache.engine.store.ShardRange;
import org.springframework.batch.core.partition.Partitioner;
import org.springframework.batch.infrastructure.item.ExecutionContext;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One partition per shard of the run's range, named {@code shard-00} to {@code shard-ff}: stable
 * names, so a restarted run matches its partitions to the ones it left unfinished.
 *
 * <p>Not final: step scope proxies it.
 */
class ShardPartitioner implements Partitioner {

    private final ShardRange range;

    ShardPartitioner(ShardRange range) {
        this.range = range;
    }

    @Override
    public Map<String, ExecutionContext> partition(int gridSize) {
        Map<String, ExecutionContext> partitions = new LinkedHashMap<>();
        range.shards().forEach(shard -> {
            ExecutionContext context = new ExecutionContext();
            context.putInt(ShardTasklet.SHARD, shard);
            partitions.put("shard-" + ShardRange.prefix(shard), context);
        });
        return partitions;
    }
}
