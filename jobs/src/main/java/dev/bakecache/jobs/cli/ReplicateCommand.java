package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.layered.Tiers;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

@Command(name = "replicate", mixinStandardHelpOptions = true,
        description = "Copies the blobs, chunks and then manifests that one tier has and another lacks, shard by"
                + " shard (256 partitions, resumable each), in stored form and checked on arrival. A manifest is"
                + " copied only once every blob it names is there. Exits 6 if a source blob was corrupt (not"
                + " copied), 5 if a source manifest was rejected (not copied).")
public final class ReplicateCommand extends JobCommand {

    @Mixin
    PartitionOptions partitions;

    @Option(names = "--from", paramLabel = "TIER", defaultValue = RemoteConfig.LOCAL_TIER,
            description = "tier to copy from: local or a cache.remotes name; default ${DEFAULT-VALUE}")
    String from;

    @Option(names = "--to", paramLabel = "TIER", required = true,
            description = "tier to copy to: local or a cache.remotes name")
    String to;

    @Override
    String jobName() {
        return "replicate";
    }

    @Override
    void check(CacheConfig config) {
        for (String tier : new String[] {from, to}) {
            if (!tier.equalsIgnoreCase(RemoteConfig.LOCAL_TIER) && config.remote(tier).isEmpty()) {
                throw new ParameterException(spec.commandLine(), "no tier named '" + tier + "'; configured tiers: "
                        + Tiers.names(config));
            }
        }
        if (from.equalsIgnoreCase(to)) {
            throw new ParameterException(spec.commandLine(), "--from and --to name the same tier '" + to + "'");
        }
    }

    /**
     * Copying from a remote may fill a new local tier, or between remotes keep only its job state
     * there; copying from the local tier reads it.
     */
    @Override
    boolean mayCreateCache(CacheConfig config) {
        return !from.equalsIgnoreCase(RemoteConfig.LOCAL_TIER);
    }

    @Override
    JobParameters parameters() {
        JobParametersBuilder parameters = new JobParametersBuilder()
                .addString("from", from)
                .addString("to", to);
        partitions.addTo(parameters);
        return parameters.toJobParameters();
    }
}
