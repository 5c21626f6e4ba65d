package dev.bakecache.engine.layered;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.store.BlobNotFoundException;
import dev.bakecache.engine.store.BlobStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * The tiers a cache writes to as one store (docs/adr/0012). Writes go first to the primary tier
 * (the local tier when the strategy uses it, else the first remote), then, with writeThrough,
 * from there in stored form to every other remote the strategy uses; with writeLocal only the
 * local tier is written to, and remotes receive blobs through {@link TierStack#replicate}. With
 * {@code disabled} there is no tier: a put stores nothing and reads no content.
 *
 * <p>{@link #delete} removes the blob from every tier written to: the tiers this store manages.
 * With writeLocal, remote copies stay until the remote's own gc removes them. Reads ask the
 * primary tier alone; {@link ReadFallbackBlobStore} adds the other tiers.
 */
record WriteThroughBlobStore(TierRoles tiers, TierCopies copies) implements BlobStore {

    @Override
    public boolean contains(Digest digest) throws IOException {
        Optional<TierStore> primary = tiers.primaryWriteTarget();
        return primary.isPresent() && primary.get().store().contains(digest);
    }

    @Override
    public InputStream get(Digest digest) throws IOException {
        Optional<TierStore> primary = tiers.primaryWriteTarget();
        if (primary.isEmpty()) {
            throw new BlobNotFoundException(digest, "any tier written to");
        }
        return primary.get().store().get(digest);
    }

    @Override
    public boolean put(Digest digest, InputStream content) throws IOException {
        Optional<TierStore> primary = tiers.primaryWriteTarget();
        if (primary.isEmpty()) {
            return false;
        }
        boolean written = primary.get().store().put(digest, content);
        boolean copied = false;
        for (TierStore target : tiers.available(tiers.writeTargets())) {
            if (target != primary.get()) {
                copied |= !copies.copyMissing(primary.get(), target, List.of(digest)).digests().isEmpty();
            }
        }
        return copied || written;
    }

    @Override
    public boolean delete(Digest digest) throws IOException {
        boolean deleted = false;
        for (TierStore target : tiers.available(tiers.writeTargets())) {
            deleted |= target.store().delete(digest);
        }
        return deleted;
    }
}
