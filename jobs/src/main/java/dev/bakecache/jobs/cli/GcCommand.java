package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.HumanDuration;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "gc", mixinStandardHelpOptions = true,
        description = "Deletes blobs and chunks no manifest names once they are older than the grace period,"
                + " removes stale tmp/ files and reconciles the index with the blob files.")
public final class GcCommand extends JobCommand {

    @Mixin
    PartitionOptions partitions;

    @Option(names = "--grace", paramLabel = "DURATION",
            description = "keep unreferenced blobs used or written this recently, e.g. 30m, 1h, 2d; default 1h."
                    + " It must outlast the longest ingest.")
    String grace;

    @Override
    String jobName() {
        return "gc";
    }

    @Override
    JobParameters parameters() {
        JobParametersBuilder parameters = new JobParametersBuilder();
        if (grace != null) {
            try {
                parameters.addString("grace", HumanDuration.format(HumanDuration.parse(grace)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--grace: " + e.getMessage());
            }
        }
        partitions.addTo(parameters);
        return parameters.toJobParameters();
    }
}
