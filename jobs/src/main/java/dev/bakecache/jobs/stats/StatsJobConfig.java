package dev.bakecache.jobs.stats;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.stats.StatsFormat;
import dev.bakecache.jobs.launch.TaskletJobs;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;

/** {@code stats [--format text|json|prometheus] [--textfile PATH]}: one short step, nothing to resume. */
@Configuration(proxyBeanMethods = false)
public class StatsJobConfig {

    @Bean
    Job statsJob(JobRepository jobRepository, StatsTasklet statsTasklet) {
        return TaskletJobs.of("stats", jobRepository, statsTasklet);
    }

    @Bean
    @StepScope
    StatsTasklet statsTasklet(@Value("#{jobParameters['format']}") String format,
                              @Value("#{jobParameters['textfile']}") String textfile,
                              CacheConfig config, CacheMetrics metrics) {
        return new StatsTasklet(StatsFormat.fromId(format), textfile == null ? null : Path.of(textfile), config, metrics);
    }
}
