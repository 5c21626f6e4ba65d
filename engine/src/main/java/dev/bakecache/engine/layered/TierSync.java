package dev.bakecache.engine.layered;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.CacheStrategy;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.config.WriteMode;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.InvalidManifestException;
import dev.bakecache.engine.metrics.RemoteRequest;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.BlobNotFoundException;
import dev.bakecache.engine.tier.RequestCounter;
import dev.bakecache.engine.tier.Tier;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The remotes around the jobs' local work (docs/adr/0012-layered-tiers.md). Ingest and restore
 * work on local disk, which hashing and hard links need; this class moves what they need or
 * made between the local tier and the remotes the strategy uses:
 * <ul>
 * <li>{@link #push} after an ingest with writeThrough: each key's blobs and chunks to every
 *     remote, then its manifest to each remote that now holds all of them, never before;
 * <li>{@link #pull} before a restore: a trusted manifest from the first tier in strategy order
 *     that has one, and the blobs and chunks it names that the local tier lacks, so the restore
 *     then runs on the local tier as ever.
 * </ul>
 * With remoteOnly the local tier is a staging area: ingests are pushed from it, restores are
 * pulled into it, and a remote's manifest is preferred to the staged one, as with remoteFirst.
 * Eviction bounds it like any local tier. With localOnly and disabled nothing here talks to a
 * remote.
 *
 * <p>A remote that is down or cannot be opened is a warning in {@link #warnings()}, never a
 * failed job: the ingest stays local, the restore uses what the local tier has.
 */
public final class TierSync implements AutoCloseable {

    private final LocalCache cache;
    private final CacheConfig config;
    private final List<Tier> remotes;
    private final TierStack blobs;
    private final TierStack chunks;
    private final TierWarnings warnings;
    private final List<String> done = new ArrayList<>();

    private TierSync(LocalCache cache, List<Tier> remotes, TierWarnings warnings) {
        this.cache = cache;
        this.config = cache.config();
        this.remotes = remotes;
        this.warnings = warnings;
        // remoteOnly reads blobs through the local staging area like localFirst: a blob already
        // staged is the same content, checked again when restored.
        CacheConfig staging = config.strategy() == CacheStrategy.REMOTE_ONLY
                ? config.withStrategy(CacheStrategy.LOCAL_FIRST) : config;
        this.blobs = layered(staging, BlobKind.BLOB);
        this.chunks = layered(staging, BlobKind.CHUNK);
    }

    private TierStack layered(CacheConfig staging, BlobKind kind) {
        List<TierStore> stores = remotes.stream().map(tier -> new TierStore(tier.name(), tier.store(kind))).toList();
        return TierStack.compose(staging, cache.store(kind), stores, warnings);
    }

    /**
     * Opens the remotes the cache's strategy uses. One that cannot be opened (say, a GCS remote
     * before the GCS tier exists) is warned about and left out.
     *
     * @param environment where the remotes' settings are looked up (normally {@code System.getenv()})
     */
    public static TierSync open(LocalCache cache, Map<String, String> environment) {
        TierWarnings warnings = new TierWarnings();
        List<Tier> remotes = new ArrayList<>();
        CacheConfig config = cache.config();
        if (config.strategy().usesRemotes()) {
            for (RemoteConfig remote : config.remotes()) {
                try {
                    remotes.add(Tiers.open(config, remote.name(), environment));
                } catch (IOException | RuntimeException e) {
                    warnings.unavailable(remote.name(), e);
                }
            }
        }
        return new TierSync(cache, remotes, warnings);
    }

    /** What went wrong with remotes so far; empty when all went well. */
    public List<String> warnings() {
        return warnings.messages();
    }

    /**
     * A job's summary line with what was pushed or pulled and every warning appended, e.g.
     * {@code ingested web: ...; pushed 1 manifests, 22 blobs and 0 chunks to teamS3}.
     */
    public String appendTo(String summary) {
        StringBuilder line = new StringBuilder(summary);
        done.forEach(what -> line.append("; ").append(what));
        warnings.messages().forEach(warning -> line.append("; warning: ").append(warning));
        return line.toString();
    }

    private Optional<String> record(String what) {
        done.add(what);
        return Optional.of(what);
    }

    /** What a push delivered to one remote. */
    private record Delivered(int manifests, int blobs, int chunks) {
        Delivered plus(int moreBlobs, int moreChunks) {
            return new Delivered(manifests + 1, blobs + moreBlobs, chunks + moreChunks);
        }
    }

    /**
     * Sends each key's blobs and chunks, then its manifest, to every remote; a no-op with
     * writeLocal (remotes then get blobs through replication) or when the strategy uses no remote.
     *
     * @return one line for the job summary, such as {@code pushed 2 manifests, 40 blobs and 3
     *     chunks to teamS3}; empty when nothing was pushed anywhere
     * @throws IOException when the local tier fails, or lacks a manifest it was just given
     */
    public Optional<String> push(Collection<String> actionKeys) throws IOException {
        if (remotes.isEmpty() || config.writeMode() == WriteMode.WRITE_LOCAL) {
            return Optional.empty();
        }
        Map<String, Delivered> delivered = new LinkedHashMap<>();
        for (String key : actionKeys) {
            byte[] json = cache.actions().getBytes(key).orElseThrow(() -> new BlobNotFoundException(key,
                    "the local tier's manifests, though it was just ingested"));
            ActionResult manifest = cache.actions().verify(key, json, cache.actions().pathOf(key).toString());
            Map<String, Integer> withBlobs = blobs.replicate(manifest.referencedBlobs());
            Map<String, Integer> withChunks = chunks.replicate(manifest.referencedChunks());
            for (Tier remote : remotes) {
                String name = remote.name();
                if (withBlobs.containsKey(name) && withChunks.containsKey(name) && putManifest(remote, key, json)) {
                    delivered.merge(name, new Delivered(1, withBlobs.get(name), withChunks.get(name)),
                            (sum, one) -> sum.plus(one.blobs(), one.chunks()));
                }
            }
        }
        if (delivered.isEmpty()) {
            return Optional.empty();
        }
        return record(delivered.entrySet().stream()
                .map(e -> "pushed " + e.getValue().manifests() + " manifests, " + e.getValue().blobs() + " blobs and "
                        + e.getValue().chunks() + " chunks to " + e.getKey())
                .collect(Collectors.joining("; ")));
    }

    private boolean putManifest(Tier remote, String key, byte[] json) {
        if (warnings.isUnavailable(remote.name())) {
            return false;
        }
        try {
            remote.manifests().putBytes(key, json);
            return true;
        } catch (IOException e) {
            warnings.unavailable(remote.name(), e);
            return false;
        }
    }

    /**
     * Makes the local tier ready to restore {@code actionKey}: a trusted manifest, from the first
     * tier in strategy order that has one (a remote's replaces a different local one only with
     * remoteFirst and remoteOnly), and every blob and chunk it names, fetched from the remotes
     * where the local tier lacks them. The manifest is written locally after its blobs. A no-op
     * when there is no remote to read (none configured, or the strategy reads none); when no tier
     * has a manifest, the restore reports it.
     *
     * @return one line for the job summary, such as {@code fetched the manifest and 22 blobs and 0
     *     chunks from the remotes}; empty when the local tier had everything
     * @throws BlobNotFoundException when blobs the manifest names are in no reachable tier
     */
    public Optional<String> pull(String actionKey) throws IOException {
        if (remotes.isEmpty()) {
            return Optional.empty();
        }
        Optional<byte[]> localJson = cache.actions().getBytes(actionKey);
        Optional<Trusted> fromRemote = config.strategy() == CacheStrategy.LOCAL_FIRST && localJson.isPresent()
                ? Optional.empty() : trustedRemoteManifest(actionKey);
        Optional<ActionResult> manifest = fromRemote.map(Trusted::manifest).or(() -> localJson.map(json ->
                cache.actions().verify(actionKey, json, cache.actions().pathOf(actionKey).toString())));
        if (manifest.isEmpty()) {
            return Optional.empty();
        }
        int fetchedBlobs = fetch(BlobKind.BLOB, manifest.get().referencedBlobs(), actionKey);
        int fetchedChunks = fetch(BlobKind.CHUNK, manifest.get().referencedChunks(), actionKey);
        boolean newManifest = fromRemote.isPresent()
                && (localJson.isEmpty() || !Arrays.equals(localJson.get(), fromRemote.get().json()));
        if (newManifest) {
            cache.actions().putBytes(actionKey, fromRemote.get().json());
        }
        if (!newManifest && fetchedBlobs == 0 && fetchedChunks == 0) {
            return Optional.empty();
        }
        return record("fetched " + (newManifest ? "the manifest and " : "") + fetchedBlobs + " blobs and "
                + fetchedChunks + " chunks from the remotes");
    }

    /** A manifest's bytes and what they say, checked. */
    private record Trusted(byte[] json, ActionResult manifest) {
    }

    /** The first remote manifest that verifies; a failing remote or untrusted copy is warned about. */
    private Optional<Trusted> trustedRemoteManifest(String actionKey) {
        for (Tier remote : remotes) {
            if (warnings.isUnavailable(remote.name())) {
                continue;
            }
            try {
                Optional<byte[]> json = remote.manifests().getBytes(actionKey);
                if (json.isPresent()) {
                    return Optional.of(new Trusted(json.get(),
                            cache.actions().verify(actionKey, json.get(), remote.name() + "'s manifest of " + actionKey)));
                }
            } catch (InvalidManifestException e) {
                warnings.untrusted(remote.name(), actionKey, e);
            } catch (IOException e) {
                warnings.unavailable(remote.name(), e);
            }
        }
        return Optional.empty();
    }

    /** @return how many of {@code needed} came from the remotes */
    private int fetch(BlobKind kind, Set<Digest> needed, String actionKey) throws IOException {
        Set<Digest> missing = new HashSet<>(needed);
        missing.removeAll(cache.store(kind).containsMany(needed));
        if (missing.isEmpty()) {
            return 0;
        }
        Set<Digest> lost = (kind == BlobKind.CHUNK ? chunks : blobs).fetch(missing);
        if (!lost.isEmpty()) {
            throw new BlobNotFoundException(lost.iterator().next().toString(), "any reachable tier; " + lost.size()
                    + " of the blobs and chunks the manifest of '" + actionKey + "' names are missing");
        }
        return missing.size();
    }

    /** The requests sent to the remotes so far, per remote and kind; empty without remotes. */
    public Map<RemoteRequest, Long> remoteRequests() {
        return RequestCounter.byRemote(remotes);
    }

    @Override
    public void close() throws IOException {
        Tiers.closeAll(remotes);
    }
}
