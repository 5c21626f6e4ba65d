package dev.bakecache.jobs.launch;

import dev.bakecache.engine.hash.HashAlgorithm;
import org.springframework.batch.core.job.JobExecution;
import org.springframework.batch.core.job.parameters.JobParameter;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import org.springframework.batch.core.repository.JobRepository;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;

/**
 * What a run is of: the job, the cache and the value of every option that names its work (key,
 * dir, tier, partition, ...). Runs of one identity are Spring Batch job instances whose identifying
 * parameters are the identity plus a {@code run} number, 1, 2, 3, ...: the next number once a run
 * has completed, the same number (a restart of that instance) while it has not. So "the last run of
 * this command" is a lookup by Spring Batch's own job key, never a comparison of parameter sets
 * (whose {@code equals} compares names only in Spring Batch 6), and a run of any other identity
 * cannot be found, resumed or stopped by it (docs/adr/0018).
 *
 * @param options every option as an identifying parameter, plus {@link #CACHE_PARAMETER}
 */
record RunIdentity(String jobName, JobParameters options) {

    static final String RUN_PARAMETER = "run";
    static final String CACHE_PARAMETER = "cache";

    static RunIdentity of(String jobName, JobParameters options, Path cacheRoot) {
        for (JobParameter<?> option : options) {
            if (option.name().equals(RUN_PARAMETER) || option.name().equals(CACHE_PARAMETER)) {
                throw new IllegalArgumentException("'" + option.name() + "' is reserved for the run's identity");
            }
        }
        return new RunIdentity(jobName, new JobParametersBuilder(options)
                .addString(CACHE_PARAMETER, cacheRoot.toAbsolutePath().normalize().toString())
                .toJobParameters());
    }

    /** The parameters of this identity's run number {@code run}. */
    JobParameters run(long run) {
        return new JobParametersBuilder(options).addLong(RUN_PARAMETER, run).toJobParameters();
    }

    /**
     * The highest run number of this identity in the repository, 0 when it never ran. Numbers are
     * handed out in order under the identity's lock, so run n exists whenever n+1 does: a doubling
     * probe then a bisection find the last in O(log runs) job-key lookups.
     */
    long latestRun(JobRepository repository) {
        long present = 0;
        long absent = 1;
        while (exists(repository, absent)) {
            present = absent;
            absent *= 2;
        }
        while (absent - present > 1) {
            long middle = present + (absent - present) / 2;
            if (exists(repository, middle)) {
                present = middle;
            } else {
                absent = middle;
            }
        }
        return present;
    }

    /** The last execution of run number {@code run}, or null. */
    JobExecution lastExecution(JobRepository repository, long run) {
        return repository.getLastJobExecution(jobName, run(run));
    }

    private boolean exists(JobRepository repository, long run) {
        return repository.getJobInstance(jobName, run(run)) != null;
    }

    /** A short stable name of the identity, for lock files and advisory locks. */
    String fingerprint() {
        String text = jobName + "\n" + options.parameters().stream()
                .map(p -> p.name() + "=" + p.type().getName() + ":" + p.value())
                .sorted().collect(Collectors.joining("\n"));
        return HashAlgorithm.SHA256.digest(text.getBytes(StandardCharsets.UTF_8)).hash().substring(0, 16);
    }
}
