package dev.bakecache.engine.ingest;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.store.ClaimableBlobStore;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The last step before a manifest is written (docs/adr/0008): record a use of every blob and
 * chunk it names, then check that they are all still stored. A concurrent evict or gc either
 * sees the use and keeps them, or removed one before it, and then the check finds it missing and
 * no manifest is written. Every writer of manifests that names blobs it did not write itself (an
 * ingest re-using stored content, a migration) must claim them.
 *
 * <p>Blobs may be claimed ahead, as soon as the writer expects to name them (an ingest claims the
 * blobs its stat cache knows while it scans): the use is recorded, then existence is checked, and
 * a blob found stored then is still stored when the manifest is written, because the recorded use
 * keeps the sweeps away from it. Claiming a blob that ends up unnamed is harmless. But a use
 * protects a blob only for the sweeps' margin (evict's is a minute), so claims older than
 * {@link #STILL_FRESH} are made again.
 *
 * <p>The check is skipped when the stores' {@link RemovalMarks} are those at which the same blobs
 * were last found stored: nothing was removed since (docs/adr/0017). Conversely, when the marks
 * move between the claim ahead and the end, everything is looked for again.
 */
public final class BlobClaim {

    /** What a manifest names that is not stored. */
    public record Missing(Set<Digest> blobs, Set<Digest> chunks) {
        public boolean isEmpty() {
            return blobs.isEmpty() && chunks.isEmpty();
        }

        public boolean affects(Digest digest, List<Digest> fileChunks) {
            return fileChunks.isEmpty() ? blobs.contains(digest) : fileChunks.stream().anyMatch(chunks::contains);
        }
    }

    /** How old recorded uses may be at the check; well inside evict's one-minute margin. */
    static final Duration STILL_FRESH = Duration.ofSeconds(10);

    private final ClaimableBlobStore blobs;
    private final ClaimableBlobStore chunks;
    private final Clock clock;
    private volatile Instant oldestUse;
    private final Set<Digest> blobsUsed = ConcurrentHashMap.newKeySet();
    private final Set<Digest> chunksUsed = ConcurrentHashMap.newKeySet();
    private final Set<Digest> blobsFound = ConcurrentHashMap.newKeySet();
    private final Set<Digest> chunksFound = ConcurrentHashMap.newKeySet();
    /** The marks at which everything in the found sets was found stored, after its use was recorded. */
    private volatile RemovalMarks foundAt;

    public BlobClaim(ClaimableBlobStore blobs, ClaimableBlobStore chunks) {
        this(blobs, chunks, Clock.systemUTC());
    }

    BlobClaim(ClaimableBlobStore blobs, ClaimableBlobStore chunks, Clock clock) {
        this.blobs = blobs;
        this.chunks = chunks;
        this.clock = clock;
    }

    /** Claims in one go; see {@link #check}. */
    public static void claim(ClaimableBlobStore blobs, ClaimableBlobStore chunks, ActionResult manifest)
            throws IOException {
        new BlobClaim(blobs, chunks).check(manifest);
    }

    /**
     * Claims blobs and chunks a manifest will probably name: records their use, then checks which
     * are stored, unless the stores' marks are still {@code lastFoundAt}.
     *
     * @param lastFoundAt the marks at which all of them were last found stored after a claim, or null
     */
    public void claimAhead(Collection<Digest> blobDigests, Collection<Digest> chunkDigests, RemovalMarks lastFoundAt)
            throws IOException {
        recordUse(blobDigests, chunkDigests);
        RemovalMarks now = RemovalMarks.of(blobs, chunks);
        if (now != null && now.equals(lastFoundAt)) {
            blobsFound.addAll(blobDigests);
            chunksFound.addAll(chunkDigests);
        } else {
            blobsFound.addAll(blobs.containsMany(blobDigests));
            chunksFound.addAll(chunks.containsMany(chunkDigests));
        }
        foundAt = now;
    }

    /** Claims what {@code manifest} names and was not claimed yet, then returns what of it is not stored. */
    public Missing missing(ActionResult manifest) throws IOException {
        Set<Digest> namedBlobs = manifest.referencedBlobs();
        Set<Digest> namedChunks = manifest.referencedChunks();
        boolean stale = oldestUse != null && oldestUse.plus(STILL_FRESH).isBefore(clock.instant());
        if (stale) {
            blobsUsed.clear();
            chunksUsed.clear();
            oldestUse = null;
        }
        recordUse(notIn(namedBlobs, blobsUsed), notIn(namedChunks, chunksUsed));
        RemovalMarks now = RemovalMarks.of(blobs, chunks);
        if (stale || !Objects.equals(now, foundAt)) {
            // claims made again, or something was removed since: what was found may be gone
            blobsFound.clear();
            chunksFound.clear();
        }
        foundAt = now;
        return new Missing(absent(blobs, notIn(namedBlobs, blobsFound), blobsFound),
                absent(chunks, notIn(namedChunks, chunksFound), chunksFound));
    }

    /**
     * The marks at which everything the last {@link #missing} named was found stored, when it
     * found nothing missing; null when the stores keep no marks.
     */
    public RemovalMarks foundAt() {
        return foundAt;
    }

    /** @throws IngestException naming the key and a missing blob when one is gone; running the writer again stores it again */
    public void check(ActionResult manifest) throws IOException {
        Missing missing = missing(manifest);
        if (!missing.isEmpty()) {
            Digest example = missing.blobs().isEmpty() ? missing.chunks().iterator().next()
                    : missing.blobs().iterator().next();
            throw new IngestException(manifest.actionKey() + ": " + (missing.blobs().size() + missing.chunks().size())
                    + " stored blobs or chunks (e.g. " + example.hash() + ") were removed by a concurrent evict or gc"
                    + " while it was being written; run it again to store them again");
        }
    }

    private static List<Digest> notIn(Set<Digest> named, Set<Digest> recorded) {
        return named.stream().filter(d -> !recorded.contains(d)).toList();
    }

    private void recordUse(Collection<Digest> blobDigests, Collection<Digest> chunkDigests) throws IOException {
        if (oldestUse == null) {
            oldestUse = clock.instant();
        }
        blobs.recordUse(blobDigests);
        blobsUsed.addAll(blobDigests);
        chunks.recordUse(chunkDigests);
        chunksUsed.addAll(chunkDigests);
    }

    private static Set<Digest> absent(ClaimableBlobStore store, List<Digest> unchecked, Set<Digest> found)
            throws IOException {
        Set<Digest> present = store.containsMany(unchecked);
        found.addAll(present);
        Set<Digest> gone = new HashSet<>(unchecked);
        gone.removeAll(present);
        return gone;
    }
}
