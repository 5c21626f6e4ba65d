package dev.bakecache.jobs.migrate;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.jobs.launch.TaskletJobs;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/**
 * {@code migrate --legacy DIR [--delete-after-verify]}: one restartable step that moves the
 * legacy cache's archives into the CAS, one archive at a time.
 */
@Configuration(proxyBeanMethods = false)
public class MigrateJobConfig {

    @Bean
    Job migrateJob(JobRepository jobRepository, MigrateTasklet migrateTasklet) {
        return TaskletJobs.of("migrate", jobRepository, migrateTasklet);
    }

    @Bean
    @StepScope
    MigrateTasklet migrateTasklet(@Value("#{jobParameters['legacy']}") String legacy,
                                  @Value("#{jobParameters['deleteAfterVerify']}") String deleteAfterVerify,
                                  LocalCache cache, ProgressListener progress) {
        return new MigrateTasklet(Path.of(legacy), Boolean.parseBoolean(deleteAfterVerify), cache, progress);
    }
}
