package dev.bakecache.jobs.stats;

import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.jobs.launch.ExitCodes;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.AbstractJob;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.listener.JobExecutionListener;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.stereotype.Component;

import java.time.Instant;

/**
 * Records in the cache's metrics file when a run of any job succeeded, for
 * {@code bake_cache_<job>_last_success_timestamp_seconds}: a CronJob whose job has not succeeded
 * for longer than its schedule allows is what to alert on. "Succeeded" is what the CLI reports as
 * exit 0, so a verify that found corruption (exit 6), a run that rejected inputs (5) or a restore
 * that missed (7) does not count.
 *
 * <p>Every job bean gets this listener as it is created, so a new job is covered without anyone
 * remembering to add it. The metrics file is opened only once a run has succeeded: a job that
 * fails never touches it here.
 */
@Component
class LastSuccessRecorder implements BeanPostProcessor, JobExecutionListener {

    private final ObjectProvider<CacheMetrics> metrics;

    LastSuccessRecorder(ObjectProvider<CacheMetrics> metrics) {
        this.metrics = metrics;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof AbstractJob job) {
            job.registerJobExecutionListener(this);
        }
        return bean;
    }

    /** Called after the run's end has been saved; a failure here is logged by Spring Batch and fails nothing. */
    @Override
    public void afterJob(JobExecution execution) {
        boolean succeeded = execution.getStatus() == BatchStatus.COMPLETED
                && ExitCodes.ofCompleted(execution.getExitStatus().getExitCode()) == ExitCodes.COMPLETED;
        if (succeeded) {
            metrics.getObject().recordSuccess(execution.getJobInstance().getJobName(), Instant.now());
        }
    }
}
