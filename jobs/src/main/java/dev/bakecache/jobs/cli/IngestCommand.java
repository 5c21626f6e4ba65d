package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.manifest.OutputPaths;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

@Command(name = "ingest", mixinStandardHelpOptions = true,
        description = "Stores a directory of build outputs in the cache under a key: only changed files are"
                + " read, only missing blobs are written, and the signed manifest is written last.")
public final class IngestCommand extends JobCommand {

    static final class Source {
        @Option(names = "--dir", paramLabel = "OUTPUTS", required = true,
                description = "the output directory to store under --key")
        Path dir;

        @Option(names = "--root", paramLabel = "DIR", required = true,
                description = "store every subdirectory of DIR under its own name as the key")
        Path root;
    }

    @Option(names = "--key", paramLabel = "KEY", description = "action key (recipe); required with --dir")
    String key;

    @ArgGroup(multiplicity = "1")
    Source source;

    @Override
    String jobName() {
        return "ingest";
    }

    /** The first ingest into a root is what makes it a cache. */
    @Override
    boolean mayCreateCache(CacheConfig config) {
        return true;
    }

    @Override
    JobParameters parameters() {
        JobParametersBuilder parameters = new JobParametersBuilder();
        if (source.dir != null) {
            if (key == null) {
                throw new ParameterException(spec.commandLine(), "--dir needs --key KEY");
            }
            String problem = OutputPaths.actionKeyProblem(key);
            if (problem != null) {
                throw new ParameterException(spec.commandLine(), "--key: " + problem);
            }
            parameters.addString("key", key).addString("dir", existingDirectory(source.dir, "--dir"));
        } else {
            if (key != null) {
                throw new ParameterException(spec.commandLine(), "--root takes each subdirectory's name as its key;"
                        + " drop --key");
            }
            parameters.addString("root", existingDirectory(source.root, "--root"));
        }
        return parameters.toJobParameters();
    }
}
