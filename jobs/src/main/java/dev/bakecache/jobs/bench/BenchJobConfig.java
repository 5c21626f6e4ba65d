package dev.bakecache.jobs.bench;

import dev.bakecache.engine.bench.BenchScale;
import dev.bakecache.engine.bench.Scenarios;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.jobs.launch.TaskletJobs;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * {@code bench [--out DIR] [--scale small|medium|large] [--scenarios a,b]}: one restartable step
 * that runs one scenario per tasklet call and writes the reports after the last.
 */
@Configuration(proxyBeanMethods = false)
public class BenchJobConfig {

    @Bean
    Job benchJob(JobRepository jobRepository, BenchTasklet benchTasklet) {
        return TaskletJobs.of("bench", jobRepository, benchTasklet);
    }

    @Bean
    @StepScope
    BenchTasklet benchTasklet(@Value("#{jobParameters['out']}") String out,
                              @Value("#{jobParameters['scale']}") String scale,
                              @Value("#{jobParameters['scenarios']}") String scenarios,
                              ProgressListener progress) {
        List<String> ids = scenarios == null || scenarios.isBlank() ? List.of()
                : Arrays.stream(scenarios.split(",")).map(String::trim).toList();
        return new BenchTasklet(Path.of(out), BenchScale.fromId(scale), Scenarios.select(ids), progress);
    }
}
