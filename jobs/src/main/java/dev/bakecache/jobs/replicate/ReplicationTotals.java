package dev.bakecache.jobs.replicate;

import dev.bakecache.engine.replicate.ShardCopy;

/**
 * What this run's shard partitions copied, summed as they finish on their threads, for the
 * summary line. A resumed run reports its own work; shards finished by the run it resumes are
 * not run again.
 */
final class ReplicationTotals {

    private ShardCopy total = ShardCopy.NONE;
    private int shards;

    synchronized void add(ShardCopy shard) {
        total = total.plus(shard);
        shards++;
    }

    synchronized ShardCopy total() {
        return total;
    }

    synchronized int shards() {
        return shards;
    }
}
