package dev.bakecache.jobs.ingest;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.evict.EvictionReport;
import dev.bakecache.engine.evict.Evictor;
import dev.bakecache.engine.ingest.IngestReport;
import dev.bakecache.engine.ingest.Ingester;
import dev.bakecache.engine.ingest.OutputTree;
import dev.bakecache.engine.layered.TierSync;
import dev.bakecache.engine.manifest.OutputFile;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Ingests one or more output directories in batches of files. After each batch the stat cache
 * is saved and the step's execution context records how far it got (targets done, last file
 * path, running totals), so a killed run resumes after the last finished batch: the files
 * before it are recognised by their stat data and cost no reading. The manifest of a target is
 * written only after all its files are stored. With write-through remotes, the ingested blobs
 * and then the manifests are pushed to them at the end; a remote that is down is a warning in
 * the summary, and the ingest stays local.
 *
 * <p>Not final: step scope proxies it.
 */
class IngestTasklet implements Tasklet, StepExecutionListener {

    static final int BATCH_FILES = 256;

    static final String TARGETS_DONE = "ingest.targetsDone";
    static final String LAST_PATH = "ingest.lastPath";
    static final String FILES = "ingest.files";
    static final String BYTES = "ingest.bytes";
    static final String HASHED = "ingest.hashedFiles";
    static final String NEW_BLOBS = "ingest.newBlobs";
    static final String NEW_BYTES = "ingest.newBytes";

    private final List<IngestTarget> targets;
    private final String label;
    private final LocalCache cache;
    private final ProgressListener progress;
    private final CacheMetrics metrics;

    private Ingester.Session session;
    private List<OutputTree.Entry> pending;
    private List<OutputFile> stored;
    private long[] totalsBeforeSession;

    IngestTasklet(List<IngestTarget> targets, String label, LocalCache cache, ProgressListener progress,
                  CacheMetrics metrics) {
        this.targets = targets;
        this.label = label;
        this.cache = cache;
        this.progress = progress;
        this.metrics = metrics;
    }

    @Override
    public RepeatStatus execute(StepContribution contribution, ChunkContext chunkContext) throws IOException {
        ExecutionContext state = chunkContext.getStepContext().getStepExecution().getExecutionContext();
        int done = state.getInt(TARGETS_DONE, 0);
        if (done < targets.size()) {
            if (session == null) {
                open(targets.get(done), state);
            }
            storeNextBatch(state, contribution);
            if (pending.isEmpty()) {
                finishTarget(state);
                done++;
            }
        }
        if (done < targets.size()) {
            return RepeatStatus.CONTINUABLE;
        }
        Set<String> keys = targets.stream().map(IngestTarget::key).collect(Collectors.toSet());
        String summary = totals(state, chunkContext).summary();
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

    private void open(IngestTarget target, ExecutionContext state) throws IOException {
        session = cache.ingester().begin(target.key(), target.dir());
        List<OutputTree.Entry> files = session.tree().files();
        String lastPath = state.containsKey(LAST_PATH) ? state.getString(LAST_PATH) : null;
        int resumeAt = 0;
        if (lastPath != null) {
            while (resumeAt < files.size() && files.get(resumeAt).path().compareTo(lastPath) <= 0) {
                resumeAt++;
            }
        }
        // Files stored before a restart: their stat data vouches for them, nothing is read again.
        stored = new ArrayList<>(session.store(files.subList(0, resumeAt), ProgressListener.NONE));
        pending = new ArrayList<>(files.subList(resumeAt, files.size()));
        totalsBeforeSession = new long[] {state.getLong(HASHED, 0), state.getLong(NEW_BLOBS, 0), state.getLong(NEW_BYTES, 0)};
        progress.planned(files.size(), session.tree().totalBytes());
        progress.advanced(resumeAt, files.subList(0, resumeAt).stream().mapToLong(OutputTree.Entry::size).sum());
    }

    private void storeNextBatch(ExecutionContext state, StepContribution contribution) throws IOException {
        List<OutputTree.Entry> batch = new ArrayList<>(pending.subList(0, Math.min(BATCH_FILES, pending.size())));
        stored.addAll(session.store(batch, progress));
        session.checkpoint();
        pending.subList(0, batch.size()).clear();
        if (!batch.isEmpty()) {
            state.putString(LAST_PATH, batch.getLast().path());
        }
        countSessionWork(state);
        contribution.incrementWriteCount(batch.size());
    }

    private void countSessionWork(ExecutionContext state) {
        state.putLong(HASHED, totalsBeforeSession[0] + session.hashedFiles());
        state.putLong(NEW_BLOBS, totalsBeforeSession[1] + session.newBlobs());
        state.putLong(NEW_BYTES, totalsBeforeSession[2] + session.newBytes());
    }

    private void finishTarget(ExecutionContext state) throws IOException {
        IngestReport report = session.finish(stored);
        countSessionWork(state); // finish may store again what was removed since the stat cache vouched for it
        session.close();
        session = null;
        metrics.addAll(Map.of(Counter.INGESTED_FILES, report.files(), Counter.INGESTED_BYTES, report.bytes(),
                Counter.INGEST_NEW_BLOBS, report.newBlobs(), Counter.UPLOADED_BYTES, report.newBytes()));
        metrics.recordLatency("ingest", report.elapsed());
        state.putLong(FILES, state.getLong(FILES, 0) + report.files());
        state.putLong(BYTES, state.getLong(BYTES, 0) + report.bytes());
        state.putInt(TARGETS_DONE, state.getInt(TARGETS_DONE, 0) + 1);
        state.remove(LAST_PATH);
    }

    private IngestReport totals(ExecutionContext state, ChunkContext chunkContext) {
        return new IngestReport(label, state.getLong(FILES, 0), state.getLong(BYTES, 0), state.getLong(HASHED, 0),
                state.getLong(NEW_BLOBS, 0), state.getLong(NEW_BYTES, 0), JobSummary.elapsed(chunkContext));
    }

    @Override
    public ExitStatus afterStep(StepExecution stepExecution) {
        if (session != null) {
            session.close();
            session = null;
        }
        return stepExecution.getExitStatus();
    }
}
