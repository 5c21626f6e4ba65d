package dev.bakecache.jobs.evict;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.LocalConfig;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.jobs.launch.TaskletJobs;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code evict [--max-size SIZE]}: one restartable step that evicts a page of candidates per iteration. */
@Configuration(proxyBeanMethods = false)
public class EvictJobConfig {

    @Bean
    Job evictJob(JobRepository jobRepository, EvictTasklet evictTasklet) {
        return TaskletJobs.of("evict", jobRepository, evictTasklet);
    }

    @Bean
    @StepScope
    EvictTasklet evictTasklet(@Value("#{jobParameters['maxSize']}") Long maxSize, LocalCache cache,
                              ProgressListener progress, CacheMetrics metrics) {
        LocalConfig limits = cache.config().local();
        return new EvictTasklet(maxSize == null ? limits : limits.withMaxSize(maxSize), cache, progress, metrics);
    }
}
