package dev.bakecache.jobs.restore;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.jobs.launch.TaskletJobs;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/** {@code restore --key KEY --dir TARGET}: verify the manifest, then materialise it. */
@Configuration(proxyBeanMethods = false)
public class RestoreJobConfig {

    @Bean
    Job restoreJob(JobRepository jobRepository, RestoreTasklet restoreTasklet) {
        return TaskletJobs.of("restore", jobRepository, restoreTasklet);
    }

    @Bean
    @StepScope
    RestoreTasklet restoreTasklet(@Value("#{jobParameters['key']}") String key,
                                  @Value("#{jobParameters['dir']}") String dir,
                                  LocalCache cache, ProgressListener progress, CacheMetrics metrics) {
        return new RestoreTasklet(key, Path.of(dir), cache, progress, metrics);
    }
}
