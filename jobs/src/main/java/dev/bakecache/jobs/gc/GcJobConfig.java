package dev.bakecache.jobs.gc;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.HumanDuration;
import dev.bakecache.engine.gc.GarbageCollector;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.ShardRange;
import dev.bakecache.jobs.launch.TaskletJobs;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code gc [--grace 1h]}: one restartable step that runs the collector's phases a page at a time. */
@Configuration(proxyBeanMethods = false)
public class GcJobConfig {

    @Bean
    Job gcJob(JobRepository jobRepository, GcTasklet gcTasklet) {
        return TaskletJobs.of("gc", jobRepository, gcTasklet);
    }

    @Bean
    @StepScope
    GcTasklet gcTasklet(@Value("#{jobParameters['grace']}") String grace,
                        @Value("#{jobParameters['shards']}") String shards, LocalCache cache,
                        ProgressListener progress, CacheMetrics metrics) {
        return new GcTasklet(grace == null ? GarbageCollector.DEFAULT_GRACE : HumanDuration.parse(grace),
                ShardRange.ofParameter(shards), cache, progress, metrics);
    }
}
