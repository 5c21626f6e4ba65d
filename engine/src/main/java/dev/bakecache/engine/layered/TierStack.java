package dev.bakecache.engine.layered;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.CacheStrategy;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.config.WriteMode;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.store.BlobStore;
import dev.bakecache.engine.store.CasLayout;
import dev.bakecache.engine.store.TierBlobStore;

import java.io.IOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The tiers of one blob kind as {@code cache.strategy} and {@code cache.writeMode} arrange them
 * (docs/adr/0012-layered-tiers.md): an optional local tier and an ordered list of remotes. This is
 * the one place the config becomes behaviour, as small decorators around each tier's store, in
 * the manner of Buildbarn's {@code new_blob_access.go}:
 * <pre>
 *   ReadFallback(read order, Promotion)      reads in strategy order, promotes hits
 *     └ WriteThrough(write targets)          writes the primary tier, copies to the others
 *         tiers: local as it is, each remote inside RemoteHealth (down: one warning, then skipped)
 * </pre>
 * {@link #store()} is that composition; {@link #replicate} and {@link #fetch} move blobs between
 * the local tier and the remotes for {@link TierSync}. All copies go through one
 * {@link TierCopies}, and so through the {@link dev.bakecache.engine.store.BlobCopier}.
 *
 * <p>A strategy that does not use the local tier, or the remotes, leaves them out; {@code disabled}
 * uses no tier: nothing is contained, a put stores nothing, a get throws
 * {@link dev.bakecache.engine.store.BlobNotFoundException}.
 */
public final class TierStack {

    private final TierRoles tiers;
    private final TierCopies copies;
    private final BlobStore store;

    private TierStack(CacheConfig config, TierBlobStore local, List<TierStore> remotes, TierWarnings warnings) {
        CacheStrategy strategy = config.strategy();
        List<TierStore> localTier = local != null && strategy.usesLocal()
                ? List.of(new TierStore(RemoteConfig.LOCAL_TIER, local)) : List.of();
        List<TierStore> usedRemotes = strategy.usesRemotes() ? remotes.stream()
                .map(remote -> new TierStore(remote.name(), new RemoteHealthBlobStore(remote, warnings)))
                .toList() : List.of();
        List<TierStore> readOrder = strategy == CacheStrategy.REMOTE_FIRST
                ? concat(usedRemotes, localTier) : concat(localTier, usedRemotes);
        List<TierStore> inUse = concat(localTier, usedRemotes);
        this.tiers = new TierRoles(localTier.isEmpty() ? null : localTier.getFirst(), readOrder, inUse,
                config.writeMode() == WriteMode.WRITE_LOCAL ? localTier : inUse, warnings,
                "tiers " + readOrder + " (" + strategy.id() + ", " + config.writeMode().id() + ")");
        this.copies = new TierCopies(warnings, config.parallelism());
        this.store = new ReadFallbackBlobStore(new WriteThroughBlobStore(tiers, copies), tiers, new Promotion(tiers),
                new StagingArea(new CasLayout(config.local().path()).tmpDir(), config.cas().hashAlgorithm()),
                config.parallelism().download());
    }

    /**
     * @param local the local tier's store of this kind, or null for none; left out when the
     *     strategy does not use it
     * @param remotes the remotes' stores of this kind, in configured order, as they are; left out
     *     when the strategy does not use them
     * @param warnings shared with the other stacks of the run, so a dead remote is reported once
     */
    public static TierStack compose(CacheConfig config, TierBlobStore local, List<TierStore> remotes,
                                    TierWarnings warnings) {
        return new TierStack(config, local, remotes, warnings);
    }

    private static List<TierStore> concat(List<TierStore> first, List<TierStore> then) {
        return Stream.concat(first.stream(), then.stream()).toList();
    }

    /** The tiers as one store: reads in strategy order with promotion, writes as the write mode says. */
    public BlobStore store() {
        return store;
    }

    /**
     * Copies to every remote the strategy uses the blobs among {@code digests} it lacks, from the
     * primary tier, whatever the write mode: how writeLocal's blobs reach the remotes, and how an
     * ingest's outputs reach them before its manifest does.
     *
     * @return for each remote that now holds every one of {@code digests}, how many it received;
     *     a remote that failed, or lacks a blob the primary tier could not supply soundly, is
     *     left out, so a caller can hold back a manifest that names them
     */
    public Map<String, Integer> replicate(Collection<Digest> digests) throws IOException {
        Map<String, Integer> complete = new LinkedHashMap<>();
        List<TierStore> available = tiers.available(tiers.inUse());
        if (available.isEmpty()) {
            return complete;
        }
        TierStore primary = available.getFirst();
        for (TierStore target : available.subList(1, available.size())) {
            TierCopies.Copied copied = copies.copyMissing(primary, target, digests);
            if (copied.complete()) {
                complete.put(target.name(), copied.digests().size());
            }
        }
        return complete;
    }

    /**
     * Brings into the local tier those of {@code digests} it lacks, each from the first remote
     * in read order with a sound copy: a restore's promotion, which needs every blob on local
     * disk to link or copy it from there.
     *
     * @return the digests no tier could supply
     * @throws IllegalStateException when this stack has no local tier
     */
    public Set<Digest> fetch(Collection<Digest> digests) throws IOException {
        if (tiers.local() == null) {
            throw new IllegalStateException("the " + tiers + " have no local tier to fetch into");
        }
        return copies.fetch(tiers.local(), tiers.remotes(), digests);
    }

    @Override
    public String toString() {
        return tiers.description();
    }
}
