package dev.bakecache.jobs.cli;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.replicate.ShardRange;
import dev.bakecache.engine.tier.Tiers;
import org.springframework.batch.core.job.parameters.JobParameters;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

import java.util.Map;

@Command(name = "replicate", mixinStandardHelpOptions = true,
        description = "Copies the blobs, chunks and then manifests that one tier has and another lacks, shard by"
                + " shard (256 partitions, resumable each), in stored form and checked on arrival. A manifest is"
                + " copied only once every blob it names is there. Exits 6 if a source blob was corrupt (not"
                + " copied), 5 if a source manifest was rejected (not copied).")
public final class ReplicateCommand extends JobCommand {

    /** Set by a Kubernetes Indexed Job in each pod. */
    static final String COMPLETION_INDEX = "JOB_COMPLETION_INDEX";

    @Option(names = "--from", paramLabel = "TIER", defaultValue = RemoteConfig.LOCAL_TIER,
            description = "tier to copy from: local or a cache.remotes name; default ${DEFAULT-VALUE}")
    String from;

    @Option(names = "--to", paramLabel = "TIER", required = true,
            description = "tier to copy to: local or a cache.remotes name")
    String to;

    @Option(names = "--partition", paramLabel = "INDEX/COUNT",
            description = "copy only this share of the shards, e.g. 2/8; manifests whose blobs are not all there yet"
                    + " wait for a later run. Default: all, or $" + COMPLETION_INDEX + "/--partitions in an Indexed Job")
    String partition;

    @Option(names = "--partitions", paramLabel = "COUNT",
            description = "with $" + COMPLETION_INDEX + " set (a Kubernetes Indexed Job), the job's completions:"
                    + " this pod copies partition $" + COMPLETION_INDEX + " of COUNT")
    Integer partitions;

    Map<String, String> environment = System.getenv();

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

    @Override
    JobParameters parameters() {
        JobParametersBuilder parameters = new JobParametersBuilder()
                .addString("from", from)
                .addString("to", to);
        ShardRange range = shardRange();
        if (!range.isAll()) {
            parameters.addString("shards", range.first() + "-" + range.end());
        }
        return parameters.toJobParameters();
    }

    private ShardRange shardRange() {
        try {
            if (partition != null) {
                return ShardRange.parse(partition);
            }
            String index = environment.get(COMPLETION_INDEX);
            if (partitions != null) {
                if (index == null) {
                    throw new IllegalArgumentException("--partitions needs $" + COMPLETION_INDEX
                            + " (set by a Kubernetes Indexed Job); use --partition INDEX/COUNT elsewhere");
                }
                return ShardRange.partition(Integer.parseInt(index.trim()), partitions);
            }
            return ShardRange.ALL;
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "$" + COMPLETION_INDEX + " is not a number");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
