package dev.bakecache.jobs.cli;

import dev.bakecache.engine.stats.StatsFormat;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;

@Command(name = "stats", mixinStandardHelpOptions = true,
        description = "Prints cache statistics: blobs, chunks and manifests, bytes stored against bytes described"
                + " (dedup and compression ratios), the configured max size, restore hits and misses, bytes moved,"
                + " requests per remote, operation latencies, eviction and gc totals, and when each job last"
                + " exited 0. Needs no signing secret.")
public final class StatsCommand extends JobCommand {

    @Option(names = "--format", paramLabel = "FORMAT",
            description = "text (default), json, or prometheus (text exposition format 0.0.4)")
    String format;

    @Option(names = "--textfile", paramLabel = "PATH",
            description = "write the Prometheus format to PATH, atomically, for node-exporter's textfile collector")
    Path textfile;

    @Override
    String jobName() {
        return "stats";
    }

    /** Statistics only add up manifest sizes; the signature is verify's business. */
    @Override
    boolean needsSecret() {
        return false;
    }

    @Override
    JobParameters parameters() {
        StatsFormat chosen;
        try {
            chosen = format != null ? StatsFormat.fromId(format)
                    : textfile != null ? StatsFormat.PROMETHEUS : StatsFormat.TEXT;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--format: " + e.getMessage());
        }
        if (textfile != null && chosen != StatsFormat.PROMETHEUS) {
            throw new ParameterException(spec.commandLine(), "--textfile writes the prometheus format;"
                    + " drop --format " + format);
        }
        JobParametersBuilder parameters = new JobParametersBuilder().addString("format", chosen.id());
        if (textfile != null) {
            parameters.addString("textfile", textfile.toAbsolutePath().normalize().toString());
        }
        return parameters.toJobParameters();
    }
}
