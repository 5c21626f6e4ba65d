package dev.bakecache.jobs.cli;

import dev.bakecache.engine.verify.Sample;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Rehashes blobs and chunks, checks every manifest's signature and that the blobs it names"
                + " are stored. Corrupt blobs and manifests naming missing blobs are moved to quarantine/;"
                + " exits 6 when anything was found, listing each finding.")
public final class VerifyCommand extends JobCommand {

    @Mixin
    PartitionOptions partitions;

    @Option(names = "--sample", paramLabel = "N%",
            description = "rehash only about N%% of the blobs, a different share each run; manifests are always all checked")
    String sample;

    @Override
    String jobName() {
        return "verify";
    }

    @Override
    JobParameters parameters() {
        JobParametersBuilder parameters = new JobParametersBuilder();
        if (sample != null) {
            try {
                Sample.parse(sample, 0);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--sample: " + e.getMessage());
            }
            parameters.addString("sample", sample);
        }
        partitions.addTo(parameters);
        return parameters.toJobParameters();
    }
}
