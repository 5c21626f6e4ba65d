package dev.bakecache.engine.ingest;

import dev.bakecache.engine.manifest.OutputFile;
import dev.bakecache.engine.metrics.ProgressListener;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Ingests one or more output directories in batches of files ({@link #ingestSome}). After each
 * batch the stat cache is saved and the returned {@link IngestProgress} says how far it got, so a
 * job that keeps it resumes a killed run after the last finished batch: the files before it are
 * recognised by their stat data and cost no reading. The manifest of a directory is written only
 * after all its files are stored.
 *
 * <p>Not thread-safe: one instance per run; {@link #close} it when the run ends, done or not.
 */
public final class ResumableIngest implements AutoCloseable {

    static final int BATCH_FILES = 256;

    private final Ingester ingester;
    private final List<IngestTarget> targets;
    private final ProgressListener progress;
    private final Consumer<IngestReport> targetDone;

    private Ingester.Session session;
    private IngestProgress sessionBase;
    private List<OutputTree.Entry> pending;
    private List<OutputFile> stored;

    /**
     * @param progress   told about the files of each directory as they are stored
     * @param targetDone told what the ingest of each directory did, once its manifest is written
     */
    public ResumableIngest(Ingester ingester, List<IngestTarget> targets, ProgressListener progress,
                           Consumer<IngestReport> targetDone) {
        this.ingester = Objects.requireNonNull(ingester, "ingester");
        this.targets = List.copyOf(targets);
        this.progress = Objects.requireNonNull(progress, "progress");
        this.targetDone = Objects.requireNonNull(targetDone, "targetDone");
    }

    public boolean done(IngestProgress at) {
        return at.targetsDone() >= targets.size();
    }

    /** Stores the next batch of files after {@code at}, and writes the manifest of a directory whose last batch it was. */
    public IngestProgress ingestSome(IngestProgress at) throws IOException {
        if (done(at)) {
            return at;
        }
        if (session == null) {
            open(targets.get(at.targetsDone()), at);
        }
        List<OutputTree.Entry> batch = new ArrayList<>(pending.subList(0, Math.min(BATCH_FILES, pending.size())));
        stored.addAll(session.store(batch, progress));
        session.checkpoint();
        pending.subList(0, batch.size()).clear();
        IngestProgress next = at.afterBatch(batch.isEmpty() ? at.lastPath() : batch.getLast().path(), batch.size(),
                sessionBase, session);
        if (!pending.isEmpty()) {
            return next;
        }
        IngestReport report = session.finish(stored);
        // counted again: finish may store again what was removed since the stat cache vouched for it
        IngestProgress finished = next.afterTarget(report, sessionBase, session);
        close();
        targetDone.accept(report);
        return finished;
    }

    private void open(IngestTarget target, IngestProgress at) throws IOException {
        session = ingester.begin(target.key(), target.dir());
        List<OutputTree.Entry> files = session.tree().files();
        int resumeAt = 0;
        if (at.lastPath() != null) {
            while (resumeAt < files.size() && files.get(resumeAt).path().compareTo(at.lastPath()) <= 0) {
                resumeAt++;
            }
        }
        // Files stored before a restart: their stat data vouches for them, nothing is read again.
        stored = new ArrayList<>(session.store(files.subList(0, resumeAt), ProgressListener.NONE));
        pending = new ArrayList<>(files.subList(resumeAt, files.size()));
        sessionBase = at;
        progress.planned(files.size(), session.tree().totalBytes());
        progress.advanced(resumeAt, files.subList(0, resumeAt).stream().mapToLong(OutputTree.Entry::size).sum());
    }

    /** Ends the session of the directory in progress, if any. */
    @Override
    public void close() {
        if (session != null) {
            session.close();
            session = null;
        }
    }
}
