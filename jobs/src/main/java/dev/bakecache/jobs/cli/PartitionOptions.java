package dev.bakecache.jobs.cli;

import dev.bakecache.engine.store.ShardRange;
import org.springframework.batch.core.job.parameters.JobParametersBuilder;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.Map;

/**
 * {@code --partition INDEX/COUNT} and {@code --partitions COUNT}: a job that works shard by shard
 * does only its share of the 256 shards, so the pods of a Kubernetes Indexed Job
 * ({@code completionMode: Indexed}, which sets {@code $JOB_COMPLETION_INDEX}) split the work. The
 * share is a job parameter: each share is its own job instance in the shared job repository,
 * resumed on its own.
 */
public final class PartitionOptions {

    /** Set by a Kubernetes Indexed Job in each pod. */
    static final String COMPLETION_INDEX = "JOB_COMPLETION_INDEX";

    /** The job parameter holding the share, absent for all shards. */
    public static final String SHARDS_PARAMETER = "shards";

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--partition", paramLabel = "INDEX/COUNT",
            description = "do only this share of the 256 shards, e.g. 2/8. Default: all, or $" + COMPLETION_INDEX
                    + " of --partitions in an Indexed Job")
    String partition;

    @Option(names = "--partitions", paramLabel = "COUNT",
            description = "with $" + COMPLETION_INDEX + " set (a Kubernetes Indexed Job), the job's completions:"
                    + " this pod does share $" + COMPLETION_INDEX + " of COUNT")
    Integer partitions;

    Map<String, String> environment = System.getenv();

    ShardRange range() {
        try {
            if (partition != null) {
                return ShardRange.parse(partition);
            }
            if (partitions == null) {
                return ShardRange.ALL;
            }
            String index = environment.get(COMPLETION_INDEX);
            if (index == null) {
                throw new IllegalArgumentException("--partitions needs $" + COMPLETION_INDEX
                        + " (set by a Kubernetes Indexed Job); use --partition INDEX/COUNT elsewhere");
            }
            return ShardRange.partition(Integer.parseInt(index.trim()), partitions);
        } catch (NumberFormatException e) {
            throw new ParameterException(spec.commandLine(), "$" + COMPLETION_INDEX + " is not a number");
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** Adds the share to the job's parameters unless it is all shards. */
    void addTo(JobParametersBuilder parameters) {
        ShardRange range = range();
        if (!range.isAll()) {
            parameters.addString(SHARDS_PARAMETER, range.asParameter());
        }
    }
}
