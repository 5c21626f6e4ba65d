package dev.bakecache.engine.store;

import dev.bakecache.engine.hash.Digest;

import java.io.IOException;
import java.util.Collection;
import java.util.OptionalLong;

/**
 * A store that writers of manifests claim blobs in (docs/adr/0008, 0017): the local tier, whose
 * eviction and garbage collection must keep blobs an ingest or a migration is about to name.
 * Remote tiers keep no such records; their own gc runs on a grace period instead.
 */
public interface ClaimableBlobStore extends BlobStore {

    /**
     * Records that a manifest about to be written names these blobs, before the writer checks that
     * they are all still there: eviction and garbage collection keep blobs used after they started
     * (docs/adr/0008).
     */
    void recordUse(Collection<Digest> digests) throws IOException;

    /**
     * A number that moves on whenever blobs are removed from this store, read after
     * {@link #recordUse}: while it stays the same, blobs found stored then are stored still
     * (docs/adr/0017). Empty for stores that keep no such number; their writers always check.
     */
    OptionalLong removalGeneration() throws IOException;
}
