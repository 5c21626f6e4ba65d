package dev.bakecache.jobs.ingest;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.ingest.IngestTarget;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.jobs.launch.TaskletJobs;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code ingest --key KEY --dir OUTPUTS} or {@code ingest --root DIR}: one restartable step
 * that stores the outputs in batches and writes each manifest last.
 */
@Configuration(proxyBeanMethods = false)
public class IngestJobConfig {

    @Bean
    Job ingestJob(JobRepository jobRepository, IngestTasklet ingestTasklet) {
        return TaskletJobs.of("ingest", jobRepository, ingestTasklet);
    }

    @Bean
    @StepScope
    IngestTasklet ingestTasklet(@Value("#{jobParameters['key']}") String key,
                                @Value("#{jobParameters['dir']}") String dir,
                                @Value("#{jobParameters['root']}") String root,
                                LocalCache cache, ProgressListener progress, CacheMetrics metrics)
            throws IOException {
        if (root != null) {
            List<IngestTarget> targets = IngestTarget.subdirectoriesOf(Path.of(root));
            return new IngestTasklet(targets, targets.size() + " keys from " + root, cache, progress, metrics);
        }
        return new IngestTasklet(List.of(new IngestTarget(key, Path.of(dir))), key, cache, progress, metrics);
    }
}
