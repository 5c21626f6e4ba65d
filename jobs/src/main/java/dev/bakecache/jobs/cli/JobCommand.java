package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.ConfigException;
import dev.bakecache.engine.manifest.ManifestSigner;
import dev.bakecache.engine.manifest.MissingSecretException;
import dev.bakecache.jobs.launch.ExitCodes;
import dev.bakecache.jobs.launch.JobRunner;
import org.springframework.batch.core.job.parameters.JobParameters;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * What every job command does: load and check the configuration, turn its options into job
 * parameters, make sure there is a cache to work on, and hand over to the {@link JobRunner}.
 * Problems found here exit with {@link ExitCodes#USAGE} before anything runs or is created.
 */
abstract class JobCommand implements Callable<Integer> {

    @Mixin
    CacheOptions cacheOptions;

    @Spec
    CommandSpec spec;

    /** The job's name, also the prefix of its bean ({@code ingest} → {@code ingestJob}). */
    abstract String jobName();

    /** The options that identify a run: running again with the same ones resumes a failed run. */
    abstract JobParameters parameters();

    /** {@code dir} as an absolute path, for a job parameter; an error naming {@code option} if it is no directory. */
    String existingDirectory(Path dir, String option) {
        if (!Files.isDirectory(dir)) {
            throw new ParameterException(spec.commandLine(), option + ": " + dir + " is not a directory");
        }
        return dir.toAbsolutePath().normalize().toString();
    }

    /** Checks options against the configuration, e.g. that a named tier exists; throws a ParameterException. */
    void check(CacheConfig config) {
    }

    /**
     * Whether the job may run on a cache root that holds no cache yet, creating one. A job that
     * only reads the cache may not: on a mistyped root it would create an empty cache and report
     * on that, e.g. a verify finding no problems.
     */
    boolean mayCreateCache(CacheConfig config) {
        return false;
    }

    /** Asks for whatever the job needs confirmed; false, having said why, stops it with {@link ExitCodes#USAGE}. */
    boolean confirmed(CacheConfig config) {
        return true;
    }

    /** Whether the job reads or writes manifests, and so needs the signing secret. */
    boolean needsSecret() {
        return true;
    }

    @Override
    public Integer call() throws Exception {
        CacheConfig config;
        try {
            config = cacheOptions.load();
            if (needsSecret() && config.verification().enabled()) {
                ManifestSigner.fromEnvironment(config.verification().secretEnv(), System.getenv());
            }
        } catch (ConfigException | MissingSecretException e) {
            spec.commandLine().getErr().println("bake-cache: " + e.getMessage());
            return ExitCodes.USAGE;
        }
        check(config);
        JobParameters parameters = parameters();
        Optional<String> noCache = mayCreateCache(config) ? Optional.empty() : cacheOptions.whyNoCache(config);
        if (noCache.isPresent()) {
            spec.commandLine().getErr().println("bake-cache: " + noCache.get());
            return ExitCodes.USAGE;
        }
        if (!confirmed(config)) {
            return ExitCodes.USAGE;
        }
        TerminalProgress progress = TerminalProgress.forStderr(jobName());
        try {
            return new JobRunner(config, progress, spec.commandLine().getOut(), spec.commandLine().getErr())
                    .run(jobName(), parameters);
        } finally {
            progress.finish();
        }
    }
}
