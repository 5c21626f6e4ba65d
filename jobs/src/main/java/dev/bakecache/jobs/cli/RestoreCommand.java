package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.manifest.OutputPaths;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

@Command(name = "restore", mixinStandardHelpOptions = true,
        description = {"Materialises the outputs stored under a key into a directory. Every file is copied and"
                + " checked against its digest before it is renamed into place (or hard-linked after hashing when"
                + " cache.local.useHardLinks asks for it and the process is not root); files already right are"
                + " skipped.",
                "Exit 7 is a cache miss: no tier holds the key; nothing was written and there is nothing to resume."})
public final class RestoreCommand extends JobCommand {

    @Option(names = "--key", paramLabel = "KEY", required = true, description = "action key (recipe) to restore")
    String key;

    @Option(names = "--dir", paramLabel = "TARGET", required = true,
            description = "directory to restore into (created if missing)")
    Path dir;

    @Override
    String jobName() {
        return "restore";
    }

    /**
     * A restore that may fetch from a remote fills a new local tier, as on a machine's first
     * build; one that reads the local tier alone has nothing to restore from without a cache.
     */
    @Override
    boolean mayCreateCache(CacheConfig config) {
        return config.strategy().usesRemotes() && !config.remotes().isEmpty();
    }

    @Override
    JobParameters parameters() {
        String problem = OutputPaths.actionKeyProblem(key);
        if (problem != null) {
            throw new ParameterException(spec.commandLine(), "--key: " + problem);
        }
        return new JobParametersBuilder()
                .addString("key", key)
                .addString("dir", dir.toAbsolutePath().normalize().toString())
                .toJobParameters();
    }
}
