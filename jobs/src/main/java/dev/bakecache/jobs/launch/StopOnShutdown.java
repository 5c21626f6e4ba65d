package dev.bakecache.jobs.launch;

import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.launch.JobExecutionNotRunningException;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.context.ConfigurableApplicationContext;

import java.util.concurrent.CountDownLatch;
import java.util.function.Supplier;

/**
 * Turns SIGTERM (a CronJob's deadline, a pod eviction, {@code systemctl stop}) into a Spring Batch
 * stop: the JVM shutdown hook asks the running execution to stop, the tasklet ends at its next
 * batch boundary with its state saved, the execution is STOPPED, and the same command resumes
 * it. Without this the JVM would exit under a running step, as after a {@code kill -9}.
 *
 * <p>The hook waits until the run has returned, as the JVM halts once its hooks are done.
 */
final class StopOnShutdown implements AutoCloseable {

    private final Thread hook;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile ConfigurableApplicationContext context;
    private volatile Supplier<JobExecution> running = () -> null;

    private StopOnShutdown() {
        hook = new Thread(this::stopAndWait, "bake-cache-stop-on-shutdown");
    }

    static StopOnShutdown register() {
        StopOnShutdown stop = new StopOnShutdown();
        Runtime.getRuntime().addShutdownHook(stop.hook);
        return stop;
    }

    /** From now on a shutdown stops what {@code running} returns, through the context's JobOperator. */
    void watch(ConfigurableApplicationContext context, Supplier<JobExecution> running) {
        this.context = context;
        this.running = running;
    }

    private void stopAndWait() {
        ConfigurableApplicationContext watched = context;
        JobExecution execution = running.get();
        if (watched != null && execution != null) {
            try {
                watched.getBean(JobOperator.class).stop(execution);
            } catch (JobExecutionNotRunningException e) {
                // it ended on its own in the meantime: nothing to stop
            }
        }
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running and returns now that the run is over
        }
    }
}
