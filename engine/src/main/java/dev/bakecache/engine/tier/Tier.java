package dev.bakecache.engine.tier;

import dev.bakecache.engine.manifest.ManifestStore;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.TierBlobStore;

import java.io.IOException;

/**
 * One place a cache lives, as replication sees it: the local disk or a bucket, with its blobs,
 * its chunks and its manifests, all in the same layout and stored forms. Close it to release
 * its clients or its index.
 */
public interface Tier extends AutoCloseable {

    /** {@code local} or the remote's configured name. */
    String name();

    TierBlobStore store(BlobKind kind);

    ManifestStore manifests();

    /** Requests sent so far to the tier's server; all zero for the local tier. */
    RequestCounter requests();

    @Override
    void close() throws IOException;
}
