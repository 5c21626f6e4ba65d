package dev.bakecache.jobs.launch;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.jobs.repository.JobRepositoryLocation;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Collectors;

/**
 * Runs one job the way a person at a terminal or a CronJob expects: a new run when the last run of
 * the same command completed, and a resumption of that run when it failed or was killed, from its
 * saved step state (Spring Batch restart). "The same command" is a {@link RunIdentity}: the job, the
 * cache and the values of its options. Runs of other identities, whatever state they were left in,
 * are never resumed, stopped or waited for by this one.
 *
 * <p>A file lock per identity makes sure only one process works on it at a time; holding it also
 * proves that an execution of it still marked STARTED is a crashed one (a {@code kill -9} leaves it
 * so), which is then marked failed and restarted. With the job repository on PostgreSQL, shared by
 * several machines, an advisory lock in that database does the same across them
 * ({@link SharedRunLock}): the second launch is told the job is already running.
 *
 * <p>SIGTERM stops a run at its next batch boundary, resumable ({@link StopOnShutdown}).
 */
public final class JobRunner {

    private final CacheConfig config;
    private final ProgressListener progress;
    private final PrintWriter out;
    private final PrintWriter err;

    public JobRunner(CacheConfig config, ProgressListener progress, PrintWriter out, PrintWriter err) {
        this.config = config;
        this.progress = progress;
        this.out = out;
        this.err = err;
    }

    /** @return an exit code from {@link ExitCodes} */
    public int run(String jobName, JobParameters options) throws IOException {
        Path root = config.local().path();
        JobRepositoryLocation repository;
        try {
            repository = JobRepositoryLocation.of(root, System.getenv());
        } catch (IllegalArgumentException e) {
            err.println("bake-cache: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        RunIdentity identity = RunIdentity.of(jobName, options, root);
        String fingerprint = identity.fingerprint();
        Path lockFile = root.resolve("jobs").resolve("locks").resolve(jobName + "-" + fingerprint + ".lock");
        Files.createDirectories(lockFile.getParent());
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            if (lock == null) {
                err.println("bake-cache: another process is running " + jobName + " with the same options on "
                        + root + "; wait for it to finish");
                return ExitCodes.BUSY;
            }
            try (SharedRunLock shared = repository.shared() ? SharedRunLock.tryAcquire(repository, fingerprint) : null) {
                if (repository.shared() && shared == null) {
                    err.println("bake-cache: " + jobName + " with the same options is already running on another"
                            + " machine sharing the job repository " + repository.describe() + "; wait for it to finish");
                    return ExitCodes.BUSY;
                }
                return runLocked(identity, repository);
            }
        }
    }

    private int runLocked(RunIdentity identity, JobRepositoryLocation repository) throws IOException {
        String jobName = identity.jobName();
        StopOnShutdown stopOnShutdown;
        try {
            stopOnShutdown = StopOnShutdown.register();
        } catch (IllegalStateException e) { // a scheduler's firing that came in as the JVM began to exit
            err.println("bake-cache: shutting down; " + jobName + " was not started");
            return ExitCodes.FAILED;
        }
        try (stopOnShutdown; ConfigurableApplicationContext context = boot(repository)) {
            JobExecution execution = runOrResume(context, identity, stopOnShutdown);
            return execution == null ? ExitCodes.NOT_RESUMABLE : report(jobName, execution);
        }
    }

    private ConfigurableApplicationContext boot(JobRepositoryLocation repository) {
        return new SpringApplicationBuilder(BakeCacheApplication.class)
                .web(WebApplicationType.NONE)
                .logStartupInfo(false)
                // a run needs one job's beans, not every job's: the others are never created
                .lazyInitialization(true)
                // SIGTERM stops the job first (StopOnShutdown); closing the context under it would fail it
                .registerShutdownHook(false)
                .properties(repository.springProperties())
                .initializers(context -> {
                    context.getBeanFactory().registerSingleton("cacheConfig", config);
                    context.getBeanFactory().registerSingleton("progressListener", progress);
                })
                .run();
    }

    private JobExecution runOrResume(ConfigurableApplicationContext context, RunIdentity identity,
                                     StopOnShutdown stopOnShutdown) throws IOException {
        String jobName = identity.jobName();
        Job job = context.getBean(jobName + "Job", Job.class);
        JobRepository repository = context.getBean(JobRepository.class);
        JobOperator operator = context.getBean(JobOperator.class);
        try {
            long latest = identity.latestRun(repository);
            JobExecution last = latest == 0 ? null : identity.lastExecution(repository, latest);
            long run = last == null || last.getStatus() == BatchStatus.COMPLETED ? latest + 1 : latest;
            stopOnShutdown.watch(context, () -> {
                JobExecution current = identity.lastExecution(repository, run);
                return current != null && current.getStatus().isRunning() ? current : null;
            });
            if (run == latest + 1) {
                return operator.start(job, identity.run(run));
            }
            if (last.getStatus().isRunning()) {
                err.println("bake-cache: the " + jobName + " run of " + last.getStartTime()
                        + " with these options was interrupted; resuming it");
                last = operator.recover(last);
            }
            if (last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED) {
                return operator.restart(last);
            }
            err.println("bake-cache: the last " + jobName + " run with these options is " + last.getStatus()
                    + " and cannot be resumed; use other options or clear " + config.local().path().resolve("jobs"));
            return null;
        } catch (Exception e) {
            throw new IOException("cannot launch " + jobName + ": " + e.getMessage(), e);
        }
    }

    private int report(String jobName, JobExecution execution) {
        if (execution.getStatus() == BatchStatus.COMPLETED) {
            String summary = execution.getExecutionContext().getString(JobSummary.KEY, jobName + " completed");
            out.println(summary);
            return ExitCodes.ofCompleted(execution.getExitStatus().getExitCode());
        }
        String causes = execution.getAllFailureExceptions().stream()
                .map(JobRunner::rootMessage).distinct().collect(Collectors.joining("; "));
        err.println("bake-cache: " + jobName + " " + execution.getStatus().name().toLowerCase()
                + (causes.isEmpty() ? "" : ": " + causes));
        err.println("bake-cache: run the same command again to resume from where it stopped");
        return ExitCodes.FAILED;
    }

    /**
     * What to tell about a failure: the message of the outermost bake-cache exception in the chain,
     * which names the key, path and digest and says what to do, or else the innermost cause, since
     * framework wrappers (bean creation, step execution) only repeat it with noise around it.
     */
    static String rootMessage(Throwable t) {
        Throwable root = t;
        for (Throwable cause = t; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause.getClass().getName().startsWith("dev.bakecache.") && cause.getMessage() != null) {
                return cause.getMessage();
            }
            root = cause;
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }
}
