package dev.bakecache.jobs.launch;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.jobs.BakeCacheApplication;
import dev.bakecache.jobs.repository.JobRepositoryLocation;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.job.Job;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.JobInstance;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.launch.JobOperator;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs one job the way a person at a terminal or a CronJob expects: a new run when the last one
 * with the same options completed, and a resumption of the last one when it failed or was
 * killed, from its saved step state (Spring Batch restart). Each run gets an extra identifying
 * {@code run} parameter, so "same options" maps to a fresh job instance once the previous one
 * is complete.
 *
 * <p>A file lock per job and options makes sure only one process works on the same job at a
 * time; holding it also proves that an execution still marked STARTED is a crashed one (a
 * {@code kill -9} leaves it so), which is then marked failed and restarted. With the job
 * repository on PostgreSQL, shared by several machines, an advisory lock in that database does the
 * same across them ({@link SharedRunLock}): the second launch is told the job is already running.
 *
 * <p>SIGTERM stops a run at its next batch boundary, resumable ({@link StopOnShutdown}).
 */
public final class JobRunner {

    static final String RUN_PARAMETER = "run";

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
        String fingerprint = fingerprint(options);
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
                return runLocked(jobName, options, repository);
            }
        }
    }

    private int runLocked(String jobName, JobParameters options, JobRepositoryLocation repository) throws IOException {
        StopOnShutdown stopOnShutdown;
        try {
            stopOnShutdown = StopOnShutdown.register();
        } catch (IllegalStateException e) { // a scheduler's firing that came in as the JVM began to exit
            err.println("bake-cache: shutting down; " + jobName + " was not started");
            return ExitCodes.FAILED;
        }
        try (stopOnShutdown; ConfigurableApplicationContext context = boot(repository)) {
            JobRepository jobRepository = context.getBean(JobRepository.class);
            stopOnShutdown.watch(context, () -> jobRepository.findRunningJobExecutions(jobName).stream()
                    .filter(e -> withoutRun(e.getJobParameters()).equals(withoutRun(options)))
                    .findFirst().orElse(null));
            JobExecution execution = runOrResume(context, jobName, options);
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

    private JobExecution runOrResume(ConfigurableApplicationContext context, String jobName, JobParameters options)
            throws IOException {
        Job job = context.getBean(jobName + "Job", Job.class);
        JobRepository repository = context.getBean(JobRepository.class);
        JobOperator operator = context.getBean(JobOperator.class);
        try {
            JobExecution last = lastRunWithSameOptions(repository, jobName, options);
            if (last != null && last.getStatus().isRunning()) {
                err.println("bake-cache: the " + jobName + " run of " + last.getStartTime()
                        + " was interrupted; resuming it");
                last = operator.recover(last);
            }
            if (last != null && (last.getStatus() == BatchStatus.FAILED || last.getStatus() == BatchStatus.STOPPED)) {
                return operator.restart(last);
            }
            if (last != null && last.getStatus() != BatchStatus.COMPLETED) {
                err.println("bake-cache: the last " + jobName + " run with these options is " + last.getStatus()
                        + " and cannot be resumed; use other options or clear " + config.local().path().resolve("jobs"));
                return null;
            }
            JobParameters fresh = new JobParametersBuilder(options)
                    .addLong(RUN_PARAMETER, System.currentTimeMillis()).toJobParameters();
            return operator.start(job, fresh);
        } catch (Exception e) {
            throw new IOException("cannot launch " + jobName + ": " + e.getMessage(), e);
        }
    }

    /** The newest execution whose options (all parameters but {@code run}) equal {@code options}. */
    private static JobExecution lastRunWithSameOptions(JobRepository repository, String jobName, JobParameters options) {
        Map<String, String> wanted = withoutRun(options);
        List<JobInstance> recent = repository.getJobInstances(jobName, 0, 100);
        for (JobInstance instance : recent) {
            JobExecution last = repository.getLastJobExecution(instance);
            if (last != null && withoutRun(last.getJobParameters()).equals(wanted)) {
                return last;
            }
        }
        return null;
    }

    /**
     * The options of a run by name and value. Spring Batch 6's {@code JobParameter.equals} compares
     * names only, so comparing parameter sets would take a run of another key for this one.
     */
    private static Map<String, String> withoutRun(JobParameters parameters) {
        return parameters.parameters().stream().filter(p -> !p.name().equals(RUN_PARAMETER))
                .collect(Collectors.toMap(JobParameter::name,
                        p -> p.type().getName() + ":" + p.value() + (p.identifying() ? "" : " (non-identifying)")));
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

    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message;
    }

    private static String fingerprint(JobParameters options) {
        String text = options.parameters().stream().map(p -> p.name() + "=" + p.value())
                .sorted().collect(Collectors.joining("\n"));
        return HashAlgorithm.SHA256.digest(text.getBytes(StandardCharsets.UTF_8)).hash().substring(0, 16);
    }
}
