package dev.bakecache.jobs.launch;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.builder.TaskletStepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * Every bake-cache job has the same shape: one restartable tasklet step named after the job,
 * keeping its progress in the step's execution context. This builds that shape once.
 */
public final class TaskletJobs {

    private TaskletJobs() {
    }

    /** A tasklet that is also a {@link StepExecutionListener} is registered as one. */
    public static Job of(String name, JobRepository repository, PlatformTransactionManager transactionManager,
                         Tasklet tasklet) {
        TaskletStepBuilder step = new StepBuilder(name, repository).tasklet(tasklet, transactionManager);
        if (tasklet instanceof StepExecutionListener listener) {
            step.listener(listener);
        }
        return new JobBuilder(name, repository).start(step.build()).build();
    }
}
