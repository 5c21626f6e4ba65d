package dev.bakecache.jobs.replicate;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.ShardRange;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.Step;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * {@code replicate --from A --to B [--partition I/N]}: a partitioned step, one partition per
 * shard run on a bounded pool ({@code cache.parallelism.upload} threads), each restartable on its
 * own; then the manifests step. With {@code --partition}, the job instance covers only that
 * share of the shards, so the pods of a Kubernetes Indexed Job each run and resume their own.
 */
@Configuration(proxyBeanMethods = false)
public class ReplicateJobConfig {

    @Bean
    Job replicateJob(JobRepository jobRepository, CacheConfig config,
                     ShardPartitioner shardPartitioner, ShardTasklet shardTasklet, ManifestTasklet manifestTasklet) {
        // The copies are not transactional, and a JDBC transaction around each would hold the
        // SQLite repository's write lock for a whole shard while the other partitions wait for it.
        PlatformTransactionManager noTransaction = new ResourcelessTransactionManager();
        Step shard = new StepBuilder("replicateShard", jobRepository)
                .tasklet(shardTasklet, noTransaction).build();
        SimpleAsyncTaskExecutor pool = new SimpleAsyncTaskExecutor("replicate-");
        pool.setConcurrencyLimit(config.parallelism().upload());
        Step shards = new StepBuilder("replicateShards", jobRepository)
                .partitioner("replicateShard", shardPartitioner)
                .step(shard)
                .gridSize(ShardRange.SHARDS)
                .taskExecutor(pool)
                .build();
        Step manifests = new StepBuilder("replicateManifests", jobRepository)
                .tasklet(manifestTasklet, noTransaction)
                .listener(manifestTasklet)
                .build();
        return new JobBuilder("replicate", jobRepository).start(shards).next(manifests).build();
    }

    @Bean
    @StepScope
    ShardPartitioner shardPartitioner(@Value("#{jobParameters['shards']}") String shards) {
        return new ShardPartitioner(ShardRange.ofParameter(shards));
    }

    @Bean
    @StepScope
    ShardTasklet shardTasklet(@Value("#{stepExecutionContext['shard']}") Integer shard,
                              @Value("#{jobParameters['from']}") String from,
                              @Value("#{jobParameters['to']}") String to,
                              ReplicationTiers replicationTiers, ReplicationTotals replicationTotals,
                              ProgressListener progress) {
        return new ShardTasklet(shard, from, to, replicationTiers, replicationTotals, progress);
    }

    @Bean
    @StepScope
    ManifestTasklet manifestTasklet(@Value("#{jobParameters['from']}") String from,
                                    @Value("#{jobParameters['to']}") String to,
                                    @Value("#{jobParameters['shards']}") String shards,
                                    ReplicationTiers replicationTiers, ReplicationTotals replicationTotals,
                                    CacheMetrics metrics) {
        return new ManifestTasklet(from, to, ShardRange.ofParameter(shards), replicationTiers, replicationTotals, metrics);
    }

    @Bean(destroyMethod = "close")
    @Lazy
    ReplicationTiers replicationTiers(CacheConfig config, ObjectProvider<LocalCache> localCache) {
        return new ReplicationTiers(config, localCache);
    }

    @Bean
    @Lazy
    ReplicationTotals replicationTotals() {
        return new ReplicationTotals();
    }
}
