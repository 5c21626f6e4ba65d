package dev.bakecache.jobs.verify;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.ShardRange;
import dev.bakecache.engine.verify.Sample;
import dev.bakecache.engine.verify.Verifier;
import dev.bakecache.jobs.launch.TaskletJobs;
import org.springframework.batch.core.configuration.annotation.StepScope;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code verify [--sample N%] [--partition I/N]}: one restartable step that rehashes blobs shard by shard, then
 * checks manifests page by page; it completes with exit status CORRUPTION_FOUND when it found any.
 */
@Configuration(proxyBeanMethods = false)
public class VerifyJobConfig {

    @Bean
    Job verifyJob(JobRepository jobRepository, VerifyTasklet verifyTasklet) {
        return TaskletJobs.of("verify", jobRepository, verifyTasklet);
    }

    /**
     * The sample's seed is the run's {@code run} parameter (see JobRunner): a resumed run samples
     * the same blobs as the run it resumes, the next run others.
     */
    @Bean
    @StepScope
    VerifyTasklet verifyTasklet(@Value("#{jobParameters['sample']}") String sample,
                                @Value("#{jobParameters['run']}") Long run,
                                @Value("#{jobParameters['shards']}") String shards,
                                LocalCache cache, CacheMetrics metrics, ProgressListener progress) {
        Sample chosen = sample == null ? Sample.ALL : Sample.parse(sample, run == null ? 0 : run);
        return new VerifyTasklet(new Verifier(cache, chosen, ShardRange.ofParameter(shards)), metrics, progress);
    }
}
