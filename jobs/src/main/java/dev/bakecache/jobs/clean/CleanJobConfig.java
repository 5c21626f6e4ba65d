package dev.bakecache.jobs.clean;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.jobs.launch.TaskletJobs;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** {@code clean --yes}: one step that empties the local tier; idempotent, so a rerun finishes it. */
@Configuration(proxyBeanMethods = false)
public class CleanJobConfig {

    @Bean
    Job cleanJob(JobRepository jobRepository, CleanTasklet cleanTasklet) {
        return TaskletJobs.of("clean", jobRepository, cleanTasklet);
    }

    @Bean
    @StepScope
    CleanTasklet cleanTasklet(CacheConfig config, ProgressListener progress) {
        return new CleanTasklet(config, progress);
    }
}
