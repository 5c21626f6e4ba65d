package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.ByteSize;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "evict", mixinStandardHelpOptions = true,
        description = "Brings the local tier from above its size limit down to the low-water mark"
                + " (cache.local.lowWaterMark), least valuable first by cache.local.evictionPolicy; a manifest is"
                + " removed before the blobs it names, so every manifest left restores.")
public final class EvictCommand extends JobCommand {

    @Option(names = "--max-size", paramLabel = "SIZE",
            description = "size limit for this run, e.g. 20GB; default cache.local.maxSize")
    String maxSize;

    @Override
    String jobName() {
        return "evict";
    }

    @Override
    JobParameters parameters() {
        JobParametersBuilder parameters = new JobParametersBuilder();
        if (maxSize != null) {
            long bytes;
            try {
                bytes = ByteSize.parse(maxSize);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--max-size: " + e.getMessage());
            }
            if (bytes <= 0) {
                throw new ParameterException(spec.commandLine(), "--max-size: must be more than 0, got " + maxSize);
            }
            parameters.addLong("maxSize", bytes);
        }
        return parameters.toJobParameters();
    }
}
