package dev.bakecache.jobs.ingest;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.evict.EvictionReport;
import dev.bakecache.engine.evict.Evictor;
import dev.bakecache.engine.ingest.IngestProgress;
import dev.bakecache.engine.ingest.IngestReport;
import dev.bakecache.engine.ingest.IngestTarget;
import dev.bakecache.engine.ingest.ResumableIngest;
import dev.bakecache.engine.layered.TierSync;
import dev.bakecache.engine.metrics.CacheMetrics;
import dev.bakecache.engine.metrics.Counter;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.jobs.launch.JobSummary;
import org.springframework.batch.core.ExitStatus;
import org.springframework.batch.core.listener.StepExecutionListener;
import org.springframework.batch.core.scope.context.ChunkContext;
import org.springframework.batch.core.step.StepContribution;
import org.springframework.batch.core.step.StepExecution;
import org.springframework.batch.core.step.tasklet.Tasklet;
import org.springframework.batch.infrastructure.item.ExecutionContext;
import org.springframework.batch.infrastructure.repeat.RepeatStatus;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs one batch of the ingest per iteration and keeps the {@link IngestProgress} (targets done,
 * last file stored, running totals) in the step's execution context, so a killed run resumes
 * after the last finished batch. With write-through remotes, the ingested blobs and then the
 * manifests are pushed to them at the end; a remote that is down is a warning in the summary,
 * and the ingest stays local.
 *
 * <p>Not final: step scope proxies it.
 */
class IngestTasklet implements Tasklet, StepExecutionListener {

    static final String PROGRESS = "ingest.progress";

    private final List<IngestTarget> targets;
    private final String label;
    private final LocalCache cache;
    private final CacheMetrics metrics;
    private final ResumableIngest ingest;

    IngestTasklet(List<IngestTarget> targets, String label, LocalCache cache, ProgressListener progress,
                  CacheMetrics metrics) {
        this.targets = targets;
        this.label = label;
        this.cache = cache;
        this.metrics = metrics;
        this.ingest = new ResumableIngest(cache.ingester(), targets, progress, this::record);
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ExecutionContext state = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        IngestProgress before = progress(state);
        IngestProgress after = ingest.ingestSome(before);
        state.putString(PROGRESS, after.toToken());
        contribution.incrementWriteCount((int) (after.batched() - before.batched()));
        if (!ingest.done(after)) {
            return RepeatStatus.CONTINUABLE;
        }
        Set<String> keys = targets.stream().map(IngestTarget::key).collect(Collectors.toSet());
        String summary = after.report(label, JobSummary.elapsed(chunkContext)).summary();
        // Pushed here rather than per target, so a restarted run pushes whatever a killed one had not.
        try (TierSync remotes = TierSync.open(cache, System.getenv())) {
            try {
                remotes.push(keys);
            } finally {
                metrics.addRemoteRequests(remotes.remoteRequests());
            }
            summary = remotes.appendTo(summary);
        }
        // eviction on put (docs/adr/0007): a no-op unless these ingests took the tier over cache.local.maxSize
        EvictionReport eviction = Evictor.afterIngest(cache, keys);
        metrics.addAll(Map.of(Counter.EVICTED_BLOBS, eviction.blobsDeleted(), Counter.EVICTED_BYTES,
                eviction.bytesFreed(), Counter.EVICTED_MANIFESTS, eviction.manifestsDeleted()));
        JobSummary.record(chunkContext, eviction.blobsDeleted() == 0 ? summary : summary + "; " + eviction.summary());
        return RepeatStatus.FINISHED;
    }

    private static IngestProgress progress(ExecutionContext state) {
        return state.containsKey(PROGRESS) ? IngestProgress.fromToken(state.getString(PROGRESS)) : IngestProgress.START;
    }

    /** Counts what the ingest of one output directory did, once its manifest is written. */
    private void record(IngestReport target) {
        metrics.addAll(Map.of(Counter.INGESTED_FILES, target.files(), Counter.INGESTED_BYTES, target.bytes(),
                Counter.INGEST_NEW_BLOBS, target.newBlobs(), Counter.UPLOADED_BYTES, target.newBytes()));
        metrics.recordLatency("ingest", target.elapsed());
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        ingest.close();
        return stepExecution.getExitStatus();
    }
}
