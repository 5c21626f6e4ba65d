package dev.bakecache.jobs.verify;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.index.IndexTotals;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.ShardRange;
import dev.bakecache.engine.verify.Finding;
import dev.bakecache.engine.verify.Sample;
import dev.bakecache.engine.verify.VerifiedBatch;
import dev.bakecache.engine.verify.Verifier;
import dev.bakecache.engine.verify.VerifyReport;
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
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Verifies the local tier a few units at a time: shards of blobs or chunks (512 in all) until
 * {@value #CHECKPOINT_BLOBS} blobs or {@value #CHECKPOINT_BYTES} bytes were rehashed (a
 * checkpoint costs a job-repository commit, too much per shard of a small cache), then a page of
 * manifests per call. After each unit the step's execution context records the
 * cursor (units done, last manifest key), the running report and the unit's findings; the files
 * found bad are moved to quarantine at the start of the next call, once the findings are saved.
 * So a killed run resumes at the unit it was in, and no finding is lost with its file moved.
 *
 * <p>Not final: step scope proxies it.
 */
class VerifyTasklet implements Tasklet, StepExecutionListener {

    static final int MANIFEST_PAGE = 256;
    static final int CHECKPOINT_BLOBS = 1000;
    static final long CHECKPOINT_BYTES = 256L << 20;

    static final String UNITS_DONE = "verify.unitsDone";
    static final String LAST_KEY = "verify.lastKey";
    static final String MANIFESTS_DONE = "verify.manifestsDone";
    static final String BLOBS = "verify.blobs";
    static final String BYTES = "verify.bytes";
    static final String MANIFESTS = "verify.manifests";
    static final String FINDINGS = "verify.findings";
    static final String PROBLEMS = "verify.problems.";
    /** Findings of the last unit whose files are still to be quarantined: one {@code PROBLEM subject} per line. */
    static final String PENDING = "verify.pending";

    private final Verifier verifier;
    private final Sample sample;
    private final ShardRange shards;
    private final LocalCache cache;
    private final CacheMetrics metrics;
    private final ProgressListener progress;
    private List<String> manifestKeys;

    /** @param shards the share of the shards to check; manifests are split the same way ({@link ShardRange#shardOfKey}) */
    VerifyTasklet(Verifier verifier, Sample sample, ShardRange shards, LocalCache cache, CacheMetrics metrics,
                  ProgressListener progress) {
        this.verifier = verifier;
        this.sample = sample;
        this.shards = shards;
        this.cache = cache;
        this.metrics = metrics;
        this.progress = progress;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ExecutionContext state = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        quarantinePending(state);
        VerifyReport report = load(state);
        int units = state.getInt(UNITS_DONE, 0);
        int shardUnits = BlobKind.values().length * shards.size();
        if (units == 0 && sample.percent() >= 100 && shards.isAll()) {
            IndexTotals totals = cache.index().totals();
            progress.planned(totals.count(), totals.totalSize());
        }
        if (units < shardUnits) {
            List<Finding> findings = new ArrayList<>();
            long checked = 0;
            long bytes = 0;
            while (units < shardUnits && checked < CHECKPOINT_BLOBS && bytes < CHECKPOINT_BYTES) {
                VerifiedBatch shard = verifier.checkShard(BlobKind.values()[units / shards.size()],
                        shards.first() + units % shards.size(), progress);
                checked += shard.checked();
                bytes += shard.bytes();
                findings.addAll(shard.findings());
                units++;
            }
            VerifiedBatch batch = new VerifiedBatch(checked, bytes, findings);
            state.putInt(UNITS_DONE, units);
            save(report.plusBlobs(batch), batch, state);
            return RepeatStatus.CONTINUABLE;
        }
        if (!state.containsKey(MANIFESTS_DONE)) {
            List<String> page = nextManifestPage(state.containsKey(LAST_KEY) ? state.getString(LAST_KEY) : null);
            VerifiedBatch batch = verifier.checkManifests(page);
            if (page.size() < MANIFEST_PAGE) {
                state.putString(MANIFESTS_DONE, "true");
            } else {
                state.putString(LAST_KEY, page.getLast());
            }
            save(report.plusManifests(batch), batch, state);
            return RepeatStatus.CONTINUABLE;
        }
        Duration elapsed = JobSummary.elapsed(chunkContext);
        record(report, elapsed);
        contribution.incrementWriteCount(report.problemCount());
        JobSummary.record(chunkContext, report.withElapsed(elapsed).summary());
        return RepeatStatus.FINISHED;
    }

    private List<String> nextManifestPage(String after) throws IOException {
        if (manifestKeys == null) {
            manifestKeys = verifier.manifestKeys().stream()
                    .filter(key -> shards.isAll() || shards.contains(ShardRange.shardOfKey(key))).toList();
        }
        return KeyPages.after(manifestKeys, after, MANIFEST_PAGE);
    }

    private void record(VerifyReport report, Duration elapsed) {
        Map<Finding.Problem, Long> problems = report.problems();
        metrics.addAll(Map.of(
                Counter.VERIFIED_BLOBS, report.blobsChecked(),
                Counter.QUARANTINED_BLOBS, problems.get(Finding.Problem.CORRUPT_BLOB)
                        + problems.get(Finding.Problem.CORRUPT_CHUNK),
                Counter.INVALID_MANIFESTS, problems.get(Finding.Problem.INVALID_MANIFEST),
                Counter.QUARANTINED_MANIFESTS, problems.get(Finding.Problem.INCOMPLETE_MANIFEST)));
        metrics.recordLatency("verify", elapsed);
    }

    private VerifyReport load(ExecutionContext state) {
        Map<Finding.Problem, Long> problems = new EnumMap<>(Finding.Problem.class);
        for (Finding.Problem problem : Finding.Problem.values()) {
            problems.put(problem, state.getLong(PROBLEMS + problem.name(), 0));
        }
        String findings = state.containsKey(FINDINGS) ? state.getString(FINDINGS) : "";
        return new VerifyReport(sample.toString(), state.getLong(BLOBS, 0), state.getLong(BYTES, 0),
                state.getLong(MANIFESTS, 0), problems,
                findings.isEmpty() ? List.of() : Arrays.asList(findings.split("\n")), Duration.ZERO);
    }

    private void quarantinePending(ExecutionContext state) throws IOException {
        if (!state.containsKey(PENDING)) {
            return;
        }
        for (String line : state.getString(PENDING).split("\n")) {
            int space = line.indexOf(' ');
            verifier.quarantine(Finding.Problem.valueOf(line.substring(0, space)), line.substring(space + 1));
        }
        state.remove(PENDING);
    }

    private static void save(VerifyReport report, VerifiedBatch batch, ExecutionContext state) {
        if (!batch.findings().isEmpty()) {
            state.putString(PENDING, batch.findings().stream().map(f -> f.problem().name() + " " + f.subject())
                    .collect(Collectors.joining("\n")));
        }
        state.putLong(BLOBS, report.blobsChecked());
        state.putLong(BYTES, report.bytesChecked());
        state.putLong(MANIFESTS, report.manifestsChecked());
        report.problems().forEach((problem, count) -> state.putLong(PROBLEMS + problem.name(), count));
        state.putString(FINDINGS, String.join("\n", report.findings()));
    }

    /** A completed run that found anything ends with exit status CORRUPTION_FOUND, so the CLI exits non-zero. */
    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (stepExecution.getStatus() == BatchStatus.COMPLETED && load(stepExecution.getExecutionContext()).problemCount() > 0) {
            return new ExitStatus(ExitCodes.CORRUPTION_FOUND_EXIT_STATUS, "verify found corruption");
        }
        return stepExecution.getExitStatus();
    }
}
