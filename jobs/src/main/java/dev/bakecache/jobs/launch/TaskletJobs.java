package dev.bakecache.jobs.launch;

import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.core.step.builder.TaskletStepBuilder;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.support.transaction.ResourcelessTransactionManager;

/**
 * Every bake-cache job has the same shape: one restartable tasklet step named after the job,
 * keeping its progress in the step's execution context. This builds that shape once.
 *
 * <p>The step runs without a transaction: a tasklet's work is on files and the cache's own index,
 * never in the job repository, and a transaction on the repository's database around it would
 * hold the SQLite file's write lock for as long as the tasklet works (BEGIN IMMEDIATE), so every
 * other job on the cache would wait and time out. The repository writes the step's state in its
 * own short transactions after each tasklet call.
 */
public final class TaskletJobs {

    private TaskletJobs() {
    }

    /** A tasklet that is also a {@link StepExecutionListener} is registered as one. */
    public static Job of(String name, JobRepository repository, Tasklet tasklet) {
        TaskletStepBuilder step = new StepBuilder(name, repository).tasklet(tasklet, new ResourcelessTransactionManager());
        if (tasklet instanceof StepExecutionListener listener) {
            step.listener(listener);
        }
        return new JobBuilder(name, repository).start(step.build()).build();
    }
}
