package dev.bakecache.jobs.cli;

import dev.bakecache.engine.bench.BenchScale;
import dev.bakecache.engine.bench.Scenarios;
import dev.bakecache.engine.config.CacheConfig;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.nio.file.Path;
import java.util.Arrays;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measures the CAS engine against the old tar.zst-per-recipe system on generated data:"
                + " incremental save, restores, dedup, a large file, threads, hashing, manifests, memory."
                + " Writes report.html, report.md and report.json to --out. Needs no cache and no signing secret;"
                + " a killed run resumes with the scenarios not yet done when run again with the same options.")
public final class BenchCommand extends JobCommand {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "bench-report",
            description = "where the reports go (default ${DEFAULT-VALUE}); scratch data in DIR/work, job state in DIR/state")
    Path out;

    @Option(names = "--scale", paramLabel = "SCALE", defaultValue = "small",
            description = "small (under 2 minutes), medium or large (a 1.25 GiB file); default ${DEFAULT-VALUE}")
    String scale;

    @Option(names = "--scenarios", paramLabel = "IDS",
            description = "comma-separated subset of: incremental,restore,dedup,largefile,parallel,hashing,manifest")
    String scenarios;

    @Override
    String jobName() {
        return "bench";
    }

    /** The bench signs its own throwaway caches with a secret it generates. */
    @Override
    boolean needsSecret() {
        return false;
    }

    /** Its cache root is its own state directory under --out, created on the first run. */
    @Override
    boolean mayCreateCache(CacheConfig config) {
        return true;
    }

    /** The job's state lives with its reports, not in a user's cache: --cache is not the bench's business. */
    @Override
    public Integer call() throws Exception {
        cacheOptions.cache = out.resolve("state");
        return super.call();
    }

    @Override
    JobParameters parameters() {
        try {
            BenchScale.fromId(scale);
            if (scenarios != null) {
                Scenarios.select(Arrays.stream(scenarios.split(",")).map(String::trim).toList());
            }
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        JobParametersBuilder parameters = new JobParametersBuilder()
                .addString("out", out.toAbsolutePath().normalize().toString())
                .addString("scale", scale);
        if (scenarios != null) {
            parameters.addString("scenarios", scenarios.replace(" ", ""));
        }
        return parameters.toJobParameters();
    }
}
