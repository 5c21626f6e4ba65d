package dev.bakecache.engine.tier;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.manifest.ActionCache;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.TierBlobStore;

import java.io.IOException;

/** The local tier as replication sees it: blobs and chunks through the index, manifests as files. */
public final class LocalTier implements Tier {

    private final LocalCache cache;
    private final RequestCounter noRequests = new RequestCounter();

    /** @param cache closed with this tier */
    public LocalTier(LocalCache cache) {
        this.cache = cache;
    }

    @Override
    public String name() {
        return RemoteConfig.LOCAL_TIER;
    }

    @Override
    public TierBlobStore store(BlobKind kind) {
        return cache.store(kind);
    }

    @Override
    public ActionCache manifests() {
        return cache.actions();
    }

    @Override
    public RequestCounter requests() {
        return noRequests;
    }

    @Override
    public void close() throws IOException {
        cache.close();
    }

    @Override
    public String toString() {
        return "local " + cache.config().local().path();
    }
}
