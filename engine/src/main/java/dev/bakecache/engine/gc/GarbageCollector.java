package dev.bakecache.engine.gc;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.EvictionPolicy;
import dev.bakecache.engine.gc.GcProgress.Phase;
import dev.bakecache.engine.index.EvictionCursor;
import dev.bakecache.engine.index.EvictionPage;
import dev.bakecache.engine.index.IndexEntry;
import dev.bakecache.engine.index.IndexedBlobStore;
import dev.bakecache.engine.manifest.ManifestReferences;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.store.BlobCorruptedException;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.LocalBlobStore;
import dev.bakecache.engine.store.ShardRange;
import dev.bakecache.engine.store.StoredBlob;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Collects the garbage of the local tier: marks every blob and chunk a manifest names, sweeps
 * the unreferenced ones that nobody used or wrote within the grace period, removes stale files
 * ({@code *.part}) from {@code tmp/}, and reconciles the index with the blob files (a file without an entry is
 * indexed, an entry without a file is dropped).
 *
 * <p><b>Why a grace period</b> (docs/adr/0008): an ingest writes its blobs first and its manifest
 * last, so while it runs its blobs are unreferenced. Those are young and kept. An ingest that
 * re-uses a blob that was already stored records a use of it before checking it is there and
 * writing its manifest; the sweep deletes each blob in an index write transaction that re-checks
 * the last use, so it either sees that use and keeps the blob, or deletes it first and the ingest
 * notices and fails instead of writing a manifest that names a missing blob.
 *
 * <p>Manifests that fail verification still protect what they name; files that do not parse
 * name nothing and are counted in the report. Work is done in small steps ({@link #collectSome})
 * so a job can save the returned {@link GcProgress} and resume after a crash; every phase may be
 * repeated safely. Not thread-safe: one instance per run.
 *
 * <p>A collector may be limited to a {@link ShardRange}: it then sweeps, indexes and drops only
 * the blobs of those shards (every collector still reads every manifest to mark), so the pods of
 * a Kubernetes Indexed Job can share the work.
 */
public final class GarbageCollector {

    public static final Duration DEFAULT_GRACE = Duration.ofHours(1);

    static final int PAGE = 500;

    /** What {@link dev.bakecache.engine.store.LocalBlobStore} and the manifest store stage their writes as. */
    private static final String STAGING_SUFFIX = ".part";

    private final LocalCache cache;
    private final Duration grace;
    private final ShardRange shards;
    private final ProgressListener progress;
    private final int pageSize;
    private Instant cutoff;
    private ManifestReferences references;

    /** @param progress told about each page swept: files = entries looked at, bytes = bytes freed */
    public GarbageCollector(LocalCache cache, Duration grace, ProgressListener progress) {
        this(cache, grace, ShardRange.ALL, progress, PAGE);
    }

    /** A collector of only the blobs in {@code shards}. */
    public GarbageCollector(LocalCache cache, Duration grace, ShardRange shards, ProgressListener progress) {
        this(cache, grace, shards, progress, PAGE);
    }

    GarbageCollector(LocalCache cache, Duration grace, ShardRange shards, ProgressListener progress, int pageSize) {
        this.pageSize = pageSize;
        this.shards = Objects.requireNonNull(shards, "shards");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.grace = Objects.requireNonNull(grace, "grace");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("gc grace period must not be negative, got " + grace);
        }
        this.progress = Objects.requireNonNull(progress, "progress");
    }

    /** Runs every phase to the end. */
    public GcReport collect() throws IOException {
        GcProgress at = GcProgress.START;
        while (!at.done()) {
            at = collectSome(at);
        }
        return at.soFar();
    }

    /** Does the next step of work after {@code at}: a page of the sweep or of the entry check, or a whole smaller phase. */
    public GcProgress collectSome(GcProgress at) throws IOException {
        return switch (at.phase()) {
            case SWEEP -> sweepPage(at);
            case CLEAN_TMP -> at.next(Phase.INDEX_FILES, cleanTmp());
            case INDEX_FILES -> indexFiles(at);
            case DROP_ENTRIES -> dropEntriesPage(at);
            case DONE -> at;
        };
    }

    /** Everything older than this, unused and unwritten since, is old enough to go; fixed for the run. */
    private Instant cutoff() {
        if (cutoff == null) {
            cutoff = Instant.now().minus(grace);
        }
        return cutoff;
    }

    private GcProgress sweepPage(GcProgress at) throws IOException {
        GcReport marked = GcReport.NONE;
        if (references == null) {
            // the cutoff is taken before the manifests are read: a blob named by a manifest written
            // after this point was used (recorded by its ingest) after the cutoff, so it is kept
            cutoff();
            references = ManifestReferences.read(cache.actions());
            if (at.cursor() == null) {
                marked = GcReport.marked(references.manifests(), references.unverified().size(),
                        references.unreadable().size(), references.named());
            }
        }
        EvictionPage page = cache.index().evictionPage(EvictionPolicy.FIFO, pageSize, cursor(at));
        Map<BlobKind, List<String>> unreferenced = new EnumMap<>(BlobKind.class);
        long scanned = 0;
        long scannedBytes = 0;
        long kept = 0;
        for (IndexEntry entry : page.entries()) {
            if (!mine(entry.hash())) {
                continue;
            }
            scanned++;
            scannedBytes += entry.storedSize();
            if (references.isReferenced(entry.kind(), entry.hash())) {
                continue;
            }
            if (entry.lastUsed().isBefore(cutoff())) {
                unreferenced.computeIfAbsent(entry.kind(), k -> new ArrayList<>()).add(entry.hash());
            } else {
                kept++;
            }
        }
        long swept = 0;
        long sweptBytes = 0;
        for (Map.Entry<BlobKind, List<String>> candidates : unreferenced.entrySet()) {
            List<IndexEntry> deleted = cache.store(candidates.getKey()).deleteUnusedSince(candidates.getValue(), cutoff());
            swept += deleted.size();
            sweptBytes += deleted.stream().mapToLong(IndexEntry::storedSize).sum();
            kept += candidates.getValue().size() - deleted.size();
        }
        progress.advanced(page.entries().size(), sweptBytes);
        GcReport more = marked.plus(GcReport.swept(scanned, scannedBytes, swept, sweptBytes, kept));
        return page.hasMore() ? at.within(page.next().toToken(), more) : at.next(Phase.CLEAN_TMP, more);
    }

    /**
     * Temporary files of killed writes ({@code *.part}: blob and manifest staging); live writes'
     * files are younger than the grace. Nothing else in tmp/ is touched: a throwaway index
     * ({@code cache.local.index: memory}) of a running process lives there too.
     */
    private GcReport cleanTmp() throws IOException {
        Path tmp = cache.layout().tmpDir();
        if (!Files.isDirectory(tmp)) {
            return GcReport.NONE;
        }
        long files = 0;
        long bytes = 0;
        try (Stream<Path> listing = Files.list(tmp)) {
            for (Path file : (Iterable<Path>) listing::iterator) {
                try {
                    BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class,
                            LinkOption.NOFOLLOW_LINKS);
                    if (attrs.isRegularFile() && file.getFileName().toString().endsWith(STAGING_SUFFIX)
                            && attrs.lastModifiedTime().toInstant().isBefore(cutoff())
                            && Files.deleteIfExists(file)) {
                        files++;
                        bytes += attrs.size();
                    }
                } catch (NoSuchFileException renamedIntoPlace) {
                    // a write finished meanwhile
                }
            }
        }
        return GcReport.tmpCleaned(files, bytes);
    }

    /** One kind per step; the cursor counts the kinds done. Files that cannot be read are left to verify. */
    private GcProgress indexFiles(GcProgress at) throws IOException {
        int kindsDone = at.cursor() == null ? 0 : Integer.parseInt(at.cursor());
        if (kindsDone >= BlobKind.values().length) {
            return at.next(Phase.DROP_ENTRIES, GcReport.NONE);
        }
        BlobKind kind = BlobKind.values()[kindsDone];
        LocalBlobStore files = cache.store(kind).files();
        long indexed = 0;
        try (Stream<StoredBlob> listing = shards.isAll() ? files.list()
                : shards.shards().mapToObj(shard -> files.listShard(ShardRange.prefix(shard))).flatMap(s -> s)) {
            Iterator<StoredBlob> it = listing.iterator();
            while (it.hasNext()) {
                List<StoredBlob> batch = new ArrayList<>(pageSize);
                while (batch.size() < pageSize && it.hasNext()) {
                    batch.add(it.next());
                }
                Set<String> known = cache.index().containing(kind, batch.stream().map(StoredBlob::hash).toList());
                List<IndexEntry> found = new ArrayList<>();
                for (StoredBlob blob : batch) {
                    if (!known.contains(blob.hash())) {
                        try {
                            found.add(IndexEntry.found(kind, files.describe(blob)));
                        } catch (NoSuchFileException | BlobCorruptedException goneOrUnreadable) {
                            // deleted meanwhile, or verify's to quarantine
                        }
                    }
                }
                cache.index().upsertAll(found);
                indexed += found.size();
            }
        }
        return at.within(Integer.toString(kindsDone + 1), GcReport.reconciled(indexed, 0));
    }

    private GcProgress dropEntriesPage(GcProgress at) {
        EvictionPage page = cache.index().evictionPage(EvictionPolicy.FIFO, pageSize, cursor(at));
        long dropped = 0;
        for (BlobKind kind : BlobKind.values()) {
            IndexedBlobStore store = cache.store(kind);
            List<String> gone = page.entries().stream()
                    .filter(e -> e.kind() == kind && mine(e.hash()) && !store.contains(e.digest()))
                    .map(IndexEntry::hash).toList();
            dropped += cache.index().removeAll(kind, gone);
        }
        GcReport more = GcReport.reconciled(0, dropped);
        return page.hasMore() ? at.within(page.next().toToken(), more) : at.next(Phase.DONE, more);
    }

    private boolean mine(String hash) {
        return shards.contains(ShardRange.shardOf(hash));
    }

    private static EvictionCursor cursor(GcProgress at) {
        return at.cursor() == null ? null : EvictionCursor.fromToken(at.cursor());
    }

}
