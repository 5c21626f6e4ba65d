package dev.bakecache.engine.restore;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.manifest.ActionResult;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What one restore call did so far; its threads count into one instance, which becomes the {@link RestoreReport}. */
final class RestoreCounts {

    private final LongAdder written = new LongAdder();
    private final LongAdder skipped = new LongAdder();
    private final LongAdder linked = new LongAdder();
    private final LongAdder bytesWritten = new LongAdder();
    private final Set<Digest> blobsRead = ConcurrentHashMap.newKeySet();
    private final Set<Digest> chunksRead = ConcurrentHashMap.newKeySet();
    private final Set<Digest> blobsLinked = ConcurrentHashMap.newKeySet();

    void wrote(long bytes) {
        written.increment();
        bytesWritten.add(bytes);
    }

    void skipped() {
        skipped.increment();
    }

    /** A file hard-linked to the blob {@code digest}, which was read in full to hash it. */
    void linked(Digest digest) {
        linked.increment();
        blobsRead.add(digest);
        blobsLinked.add(digest);
    }

    void readBlob(Digest digest) {
        blobsRead.add(digest);
    }

    void readChunk(Digest digest) {
        chunksRead.add(digest);
    }

    /** Files written or linked: what a checkpoint of the restore records is counted in. */
    long changed() {
        return written.sum() + linked.sum();
    }

    boolean anyLinked() {
        return !blobsLinked.isEmpty();
    }

    boolean wasLinked(Digest blob) {
        return blobsLinked.contains(blob);
    }

    RestoreReport report(ActionResult manifest, String linksNotUsed, long elapsedNanos) {
        return new RestoreReport(manifest.outputFiles().size(), written.sum(), skipped.sum(), linked.sum(),
                manifest.totalBytes(), bytesWritten.sum(), blobsRead, chunksRead, linksNotUsed,
                Duration.ofNanos(elapsedNanos));
    }
}
