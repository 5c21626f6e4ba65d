package dev.bakecache.engine.evict;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.LocalConfig;
import dev.bakecache.engine.index.EvictionCursor;
import dev.bakecache.engine.index.EvictionPage;
import dev.bakecache.engine.index.IndexEntry;
import dev.bakecache.engine.manifest.ManifestReferences;
import dev.bakecache.engine.manifest.ManifestReferences.BlobRef;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.BlobKind;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Brings the local tier from above {@code cache.local.maxSize} down to its low-water mark, taking
 * blobs and chunks in the order of {@code cache.local.evictionPolicy} from the index (no directory
 * walk). Size is the index's stored bytes of blobs and chunks; manifests are a few KiB each and
 * are not counted.
 *
 * <p><b>What goes, in which order</b> (docs/adr/0007): for each candidate, every manifest that
 * names it is deleted first, then the candidate and every other blob those manifests named that
 * no remaining manifest names. A crash between any two deletions therefore leaves blobs that no
 * manifest names (garbage collection's to sweep), never a manifest that names a missing blob.
 *
 * <p><b>Concurrent ingests</b> (docs/adr/0008): blobs used since shortly before the run started
 * are kept, and each blob is deleted in a write transaction of the index that re-checks its
 * last use, which an ingest records before it writes its manifest.
 *
 * <p>Work is done a page of candidates at a time ({@link #evictPage}) so a job can save the
 * returned {@link EvictionProgress} and resume from it; {@link #evictAll} is the one-call form.
 * Not thread-safe: one instance per run.
 */
public final class Evictor {

    /**
     * Blobs used this long before the run started are not evicted: an ingest records the use of
     * its blobs just before it writes its manifest, and a manifest written after this run read
     * the manifests must not lose them.
     */
    public static final Duration IN_FLIGHT_MARGIN = Duration.ofMinutes(1);

    static final int PAGE = 256;

    private final LocalCache cache;
    private final LocalConfig limits;
    private final Duration inFlightMargin;
    private final Set<String> keep;
    private final ProgressListener progress;
    private final int pageSize;
    private ManifestReferences references;
    private Instant usedBefore;
    private long stored;

    /**
     * @param limits         {@code maxSize}, low-water mark and policy, normally {@code cache.config().local()}
     * @param inFlightMargin see {@link #IN_FLIGHT_MARGIN}
     * @param keep           action keys whose manifests (and so blobs) must survive, e.g. the one just written
     * @param progress       told about each deletion: files = manifests and blobs, bytes = bytes freed
     */
    public Evictor(LocalCache cache, LocalConfig limits, Duration inFlightMargin, Set<String> keep,
                   ProgressListener progress) {
        this(cache, limits, inFlightMargin, keep, progress, PAGE);
    }

    Evictor(LocalCache cache, LocalConfig limits, Duration inFlightMargin, Set<String> keep,
            ProgressListener progress, int pageSize) {
        this.pageSize = pageSize;
        this.cache = Objects.requireNonNull(cache, "cache");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.inFlightMargin = Objects.requireNonNull(inFlightMargin, "inFlightMargin");
        this.keep = Set.copyOf(keep);
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /**
     * Eviction on put: once an ingest has written the manifests of {@code written}, brings the tier
     * down to the low-water mark if it is now over {@code maxSize}, never evicting those manifests.
     * Costs one pass over the index totals when there is nothing to do.
     */
    public static EvictionReport afterIngest(LocalCache cache, Set<String> written) throws IOException {
        return new Evictor(cache, cache.config().local(), IN_FLIGHT_MARGIN, written, ProgressListener.NONE).evictAll();
    }

    /** Runs to the end: nothing when the tier is within {@code maxSize}, else down to the low-water mark. */
    public EvictionReport evictAll() throws IOException {
        long started = System.nanoTime();
        EvictionProgress at = EvictionProgress.START;
        while (!at.finished()) {
            at = evictPage(at);
        }
        return report(at, Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Evicts one page of candidates after {@code at}. A run that has not started stops at once
     * when the tier is within {@code maxSize}; one that has (a resumed run included) goes on to the
     * low-water mark.
     */
    public EvictionProgress evictPage(EvictionProgress at) throws IOException {
        if (at.finished()) {
            return at;
        }
        if (references == null) {
            // totals read the whole table: once per process, then kept up to date by what this run frees
            stored = cache.index().totals().totalStoredSize();
            if (!at.started() && stored <= limits.maxSize()) {
                return new EvictionProgress(null, stored, 0, 0, 0, 0, true);
            }
            usedBefore = Instant.now().minus(inFlightMargin);
            // ingests record their claims beside the eviction orders (docs/adr/0015): into the orders with them
            cache.index().foldClaims();
            references = ManifestReferences.read(cache.actions());
            progress.planned(0, Math.max(0, stored - limits.lowWaterBytes()));
        }
        long storedBefore = at.started() ? at.storedBefore() : stored;
        Tally tally = new Tally(at);
        EvictionCursor after = at.cursor() == null ? null : EvictionCursor.fromToken(at.cursor());
        EvictionPage page = cache.index().evictionPage(limits.evictionPolicy(), pageSize, after);
        for (IndexEntry candidate : page.entries()) {
            if (stored <= limits.lowWaterBytes()) {
                break;
            }
            stored -= evict(candidate, tally);
        }
        boolean finished = stored <= limits.lowWaterBytes() || !page.hasMore();
        String cursor = page.hasMore() ? page.next().toToken() : at.cursor();
        return new EvictionProgress(cursor, storedBefore, tally.manifests, tally.blobs, tally.bytes, tally.kept, finished);
    }

    /** @return stored bytes freed */
    private long evict(IndexEntry candidate, Tally tally) throws IOException {
        Set<String> naming = references.keysNaming(candidate.kind(), candidate.hash());
        if (!candidate.lastUsed().isBefore(usedBefore) || !Collections.disjoint(naming, keep)) {
            tally.kept++;
            return 0;
        }
        Set<BlobRef> unreferenced = new HashSet<>();
        unreferenced.add(new BlobRef(candidate.kind(), candidate.hash()));
        for (String key : naming) {
            // manifests before blobs: a crash from here on leaves blobs nothing names, never a manifest naming a missing blob
            cache.actions().delete(key);
            unreferenced.addAll(references.forget(key));
            tally.manifests++;
            progress.advanced(1, 0);
        }
        long freed = 0;
        boolean candidateGone = false;
        for (BlobKind kind : BlobKind.values()) {
            List<String> hashes = unreferenced.stream().filter(ref -> ref.kind() == kind).map(BlobRef::hash).toList();
            for (IndexEntry deleted : cache.store(kind).deleteUnusedSince(hashes, usedBefore)) {
                freed += deleted.storedSize();
                tally.blobs++;
                candidateGone |= deleted.kind() == candidate.kind() && deleted.hash().equals(candidate.hash());
                progress.advanced(1, deleted.storedSize());
            }
        }
        if (!candidateGone) {
            tally.kept++; // used again since the page was read
        }
        tally.bytes += freed;
        return freed;
    }


    /** The report of a run that ended at {@code at}; {@code elapsed} is the caller's, a resumed run spans several processes. */
    public EvictionReport report(EvictionProgress at, Duration elapsed) {
        long storedAfter = cache.index().totals().totalStoredSize();
        return new EvictionReport(limits.evictionPolicy(), at.started() ? at.storedBefore() : storedAfter, storedAfter,
                limits.maxSize(), limits.lowWaterBytes(), at.manifestsDeleted(), at.blobsDeleted(), at.bytesFreed(),
                at.keptInUse(), elapsed);
    }

    /** Running counts of one page, starting from the run's so far. */
    private static final class Tally {
        long manifests;
        long blobs;
        long bytes;
        long kept;

        Tally(EvictionProgress at) {
            manifests = at.manifestsDeleted();
            blobs = at.blobsDeleted();
            bytes = at.bytesFreed();
            kept = at.keptInUse();
        }
    }
}
