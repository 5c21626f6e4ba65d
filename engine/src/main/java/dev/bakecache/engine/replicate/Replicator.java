package dev.bakecache.engine.replicate;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.InvalidManifestException;
import dev.bakecache.engine.manifest.ManifestSigner;
import dev.bakecache.engine.metrics.ProgressListener;
import dev.bakecache.engine.progress.KeyPages;
import dev.bakecache.engine.store.BlobCopier;
import dev.bakecache.engine.store.BlobCorruptedException;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.ShardRange;
import dev.bakecache.engine.store.StoredBlob;
import dev.bakecache.engine.store.TierBlobStore;
import dev.bakecache.engine.tier.Tier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Copies what one tier has and another lacks: blobs and chunks shard by shard, then manifests,
 * each manifest only once every blob it names is in the target. Run it again and it copies
 * nothing: presence is learnt by listing each shard of the target (one request per 1000 objects
 * on a bucket), never by asking blob by blob.
 *
 * <p>Blobs travel in stored form (raw or zstd, see {@link TierBlobStore#openStored}), so nothing is
 * recompressed, and the target checks each against its hash before publishing it. A source blob
 * that fails that check is reported and skipped, never copied. A source manifest that is
 * malformed or wrongly signed is reported and skipped too: replication never spreads what a
 * restore would refuse.
 */
public final class Replicator {

    /** Manifests copied per step of a job, with one existence check of their blobs per page. */
    public static final int MANIFEST_PAGE = 500;

    private final Tier from;
    private final Tier to;
    private final ManifestSigner signer;
    private List<String> sourceManifestKeys;
    private Set<String> targetManifestKeys;

    /** @param signer checks manifests before they are copied; null when verification is off */
    public Replicator(Tier from, Tier to, ManifestSigner signer) {
        if (from.name().equalsIgnoreCase(to.name())) {
            throw new IllegalArgumentException("cannot replicate tier '" + from.name() + "' onto itself");
        }
        this.from = from;
        this.to = to;
        this.signer = signer;
    }

    /** Copies the blobs and chunks of one shard (0 to 255) that the target lacks. */
    public ShardCopy copyShard(int shard, ProgressListener progress) throws IOException {
        String prefix = ShardRange.prefix(shard);
        ShardCopy done = ShardCopy.NONE;
        for (BlobKind kind : BlobKind.values()) {
            done = done.plus(copyShard(kind, prefix, progress));
        }
        return done;
    }

    private ShardCopy copyShard(BlobKind kind, String shard, ProgressListener progress) throws IOException {
        TierBlobStore source = from.store(kind);
        TierBlobStore target = to.store(kind);
        Set<String> present = listing(target, shard).stream().map(StoredBlob::hash).collect(Collectors.toSet());
        List<StoredBlob> listed = listing(source, shard);
        long copied = 0;
        long bytes = 0;
        List<String> corrupt = new ArrayList<>();
        for (StoredBlob blob : listed) {
            if (present.contains(blob.hash())) {
                continue;
            }
            try {
                if (BlobCopier.copy(source, target, blob.hash())) { // false: gone at the source since listed
                    copied++;
                    bytes += blob.storedSize();
                    progress.advanced(1, blob.storedSize());
                }
            } catch (BlobCorruptedException e) {
                corrupt.add(kind.name().toLowerCase() + " " + blob.hash());
            }
        }
        return new ShardCopy(listed.size(), copied, bytes, corrupt);
    }

    private static List<StoredBlob> listing(TierBlobStore store, String shard) throws IOException {
        try (Stream<StoredBlob> blobs = store.listShard(shard)) {
            return blobs.toList();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /**
     * Copies the page of manifests that follows {@code before}'s cursor; see {@link #copyManifests}.
     * The source's keys are listed once per replicator, sorted, so pages resume after a key.
     */
    public ManifestProgress copyManifestPage(ManifestProgress before) throws IOException {
        if (sourceManifestKeys == null) {
            try (Stream<String> keys = from.manifests().keys()) {
                sourceManifestKeys = keys.sorted().toList();
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        List<String> page = KeyPages.after(sourceManifestKeys, before.lastKey(), MANIFEST_PAGE);
        return before.after(page, MANIFEST_PAGE, copyManifests(page));
    }

    /**
     * Copies the manifests of these keys that the target lacks or holds other bytes of, once all
     * the blobs they name are in the target (one batched existence check per page).
     */
    private ManifestCopy copyManifests(List<String> keys) throws IOException {
        Set<String> targetKeys = targetManifestKeys();
        Map<String, byte[]> candidates = new LinkedHashMap<>();
        Map<String, ActionResult> parsed = new LinkedHashMap<>();
        long unchanged = 0;
        List<String> rejected = new ArrayList<>();
        for (String key : keys) {
            Optional<byte[]> bytes = from.manifests().getBytes(key);
            if (bytes.isEmpty()) {
                continue; // removed at the source since it was listed
            }
            if (targetKeys.contains(key) && to.manifests().getBytes(key)
                    .map(existing -> Arrays.equals(existing, bytes.get())).orElse(false)) {
                unchanged++;
                continue;
            }
            try {
                parsed.put(key, check(key, bytes.get()));
                candidates.put(key, bytes.get());
            } catch (InvalidManifestException e) {
                rejected.add(key + ": " + e.getMessage());
            }
        }
        Set<Digest> blobs = present(BlobKind.BLOB, parsed.values().stream()
                .flatMap(m -> m.referencedBlobs().stream()).collect(Collectors.toSet()));
        Set<Digest> chunks = present(BlobKind.CHUNK, parsed.values().stream()
                .flatMap(m -> m.referencedChunks().stream()).collect(Collectors.toSet()));
        long copied = 0;
        List<String> waiting = new ArrayList<>();
        for (Map.Entry<String, ActionResult> manifest : parsed.entrySet()) {
            if (blobs.containsAll(manifest.getValue().referencedBlobs())
                    && chunks.containsAll(manifest.getValue().referencedChunks())) {
                to.manifests().putBytes(manifest.getKey(), candidates.get(manifest.getKey()));
                targetKeys.add(manifest.getKey());
                copied++;
            } else {
                waiting.add(manifest.getKey());
            }
        }
        return new ManifestCopy(copied, unchanged, waiting, rejected);
    }

    private ActionResult check(String key, byte[] bytes) {
        return ManifestSigner.read(signer, key, bytes, from.name() + " manifest " + key);
    }

    private Set<Digest> present(BlobKind kind, Set<Digest> digests) throws IOException {
        return digests.isEmpty() ? Set.of() : to.store(kind).containsMany(digests);
    }

    private Set<String> targetManifestKeys() throws IOException {
        if (targetManifestKeys == null) {
            try (Stream<String> keys = to.manifests().keys()) {
                targetManifestKeys = keys.collect(Collectors.toCollection(HashSet::new));
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
        }
        return targetManifestKeys;
    }
}
