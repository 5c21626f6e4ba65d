package dev.bakecache.jobs.replicate;

import dev.bakecache.engine.config.ByteSize;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.replicate.ManifestCopy;
import dev.bakecache.engine.replicate.Replicator;
import dev.bakecache.engine.replicate.ShardCopy;
import dev.bakecache.engine.store.ShardRange;
import dev.bakecache.engine.tier.RequestCounter;
import dev.bakecache.jobs.launch.ExitCodes;
import dev.bakecache.jobs.launch.JobSummary;
import dev.bakecache.jobs.launch.KeyPages;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The last step of a replicate run: manifests, a page at a time, after every shard partition is
 * done, so a manifest reaches the target only once its blobs have. The cursor (last key) and the
 * running counts live in the step's execution context; a killed run resumes at its page. Then the
 * summary line, the metrics and the exit status: corruption found at the source, or manifests
 * rejected, make the CLI exit non-zero.
 *
 * <p>Not final: step scope proxies it.
 */
class ManifestTasklet implements Tasklet, StepExecutionListener {

    static final int PAGE = 500;

    private static final String LAST_KEY = "replicate.lastKey";
    private static final String COPIED = "replicate.manifestsCopied";
    private static final String UNCHANGED = "replicate.manifestsUnchanged";
    private static final String WAITING = "replicate.manifestsWaiting";
    private static final String REJECTED = "replicate.rejected";

    private final String from;
    private final String to;
    private final ShardRange shards;
    private final ReplicationTiers tiers;
    private final ReplicationTotals totals;
    private final CacheMetrics metrics;
    private Replicator replicator;
    private List<String> keys;

    ManifestTasklet(String from, String to, ShardRange shards, ReplicationTiers tiers, ReplicationTotals totals,
                    CacheMetrics metrics) {
        this.from = from;
        this.to = to;
        this.shards = shards;
        this.tiers = tiers;
        this.totals = totals;
        this.metrics = metrics;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ExecutionContext state = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        if (replicator == null) {
            replicator = tiers.replicator(from, to);
            keys = replicator.sourceManifestKeys();
        }
        String after = state.containsKey(LAST_KEY) ? state.getString(LAST_KEY) : null;
        List<String> page = KeyPages.after(keys, after, PAGE);
        ManifestCopy copy = load(state).plus(replicator.copyManifests(page));
        save(copy, state);
        contribution.incrementWriteCount(copy.copied());
        if (page.size() == PAGE) {
            state.putString(LAST_KEY, page.getLast());
            return RepeatStatus.CONTINUABLE;
        }
        Duration elapsed = JobSummary.elapsed(chunkContext);
        record(copy, elapsed);
        JobSummary.record(chunkContext, summary(copy, elapsed));
        return RepeatStatus.FINISHED;
    }

    private static ManifestCopy load(ExecutionContext state) {
        return new ManifestCopy(state.getLong(COPIED, 0), state.getLong(UNCHANGED, 0),
                lines(state, WAITING), lines(state, REJECTED));
    }

    private static List<String> lines(ExecutionContext state, String key) {
        String text = state.containsKey(key) ? state.getString(key) : "";
        return text.isEmpty() ? List.of() : Arrays.asList(text.split("\n"));
    }

    private static void save(ManifestCopy copy, ExecutionContext state) {
        state.putLong(COPIED, copy.copied());
        state.putLong(UNCHANGED, copy.unchanged());
        state.putString(WAITING, String.join("\n", copy.waiting()));
        state.putString(REJECTED, String.join("\n", copy.rejected()));
    }

    private void record(ManifestCopy copy, Duration elapsed) {
        ShardCopy blobs = totals.total();
        Map<Counter, Long> deltas = new EnumMap<>(Counter.class);
        deltas.put(Counter.REPLICATED_BLOBS, blobs.copied());
        deltas.put(Counter.REPLICATED_BYTES, blobs.copiedBytes());
        deltas.put(Counter.REPLICATED_MANIFESTS, copy.copied());
        metrics.addAll(deltas);
        metrics.addRemoteRequests(RequestCounter.byRemote(tiers.remotes()));
        metrics.recordLatency("replicate", elapsed);
    }

    /**
     * {@code replicated local → teamS3 (all shards): 10000 of 10000 blobs and chunks copied (39.1 MiB stored),
     * 0 corrupt at the source; 50 manifests copied, 0 unchanged, 0 waiting, 0 rejected; requests to teamS3:
     * HEAD 0, LIST 512, GET 0, PUT 10050, DELETE 0; 12.3 s, 3.2 MiB/s}, then one line per problem.
     */
    private String summary(ManifestCopy copy, Duration elapsed) {
        ShardCopy blobs = totals.total();
        double seconds = Math.max(elapsed.toNanos() / 1e9, 1e-3);
        List<String> lines = new ArrayList<>();
        String requests = tiers.requestSummary();
        lines.add(String.format(Locale.ROOT, "replicated %s → %s (%s, %d this run): %d of %d blobs and chunks copied"
                        + " (%s stored), %d corrupt at the source; %d manifests copied, %d unchanged, %d waiting for"
                        + " blobs, %d rejected%s; %.1f s, %s/s",
                from, to, shards.isAll() ? "all shards" : shards, totals.shards(), blobs.copied(), blobs.listed(),
                ByteSize.format(blobs.copiedBytes()), blobs.corrupt().size(), copy.copied(), copy.unchanged(),
                copy.waiting().size(), copy.rejected().size(), requests.isEmpty() ? "" : "; " + requests, seconds,
                ByteSize.format((long) (blobs.copiedBytes() / seconds))));
        blobs.corrupt().forEach(hash -> lines.add("  corrupt at the source, not copied: " + hash));
        copy.rejected().forEach(problem -> lines.add("  rejected manifest: " + problem));
        copy.waiting().stream().limit(20).forEach(key -> lines.add("  waiting for its blobs: " + key));
        return String.join("\n", lines);
    }

    /** Corruption outranks rejection: both are reported, the exit code names the worse. */
    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() != BatchStatus.COMPLETED) {
            return stepExecution.getExitStatus();
        }
        if (!totals.total().corrupt().isEmpty()) {
            return new ExitStatus(ExitCodes.CORRUPTION_FOUND_EXIT_STATUS, "corrupt blobs at the source");
        }
        if (!load(stepExecution.getExecutionContext()).rejected().isEmpty()) {
            return new ExitStatus(ExitCodes.REJECTED_EXIT_STATUS, "manifests rejected");
        }
        return stepExecution.getExitStatus();
    }
}
