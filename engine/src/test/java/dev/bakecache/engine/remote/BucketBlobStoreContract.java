package dev.bakecache.engine.remote;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.store.BlobStore;
import dev.bakecache.engine.store.TierBlobStoreContract;
import org.junit.jupiter.api.AfterEach;

import java.io.IOException;
import java.nio.file.Path;

/** The BlobStore contract for a bucket tier's blobs, on whichever server a subclass names. */
abstract class BucketBlobStoreContract extends TierBlobStoreContract {

    private String bucket;
    private BucketTier tier;

    protected abstract BucketServer server();

    @Override
    protected BlobStore openEmptyStore(Path root) throws IOException {
        bucket = server().createBucket();
        tier = server().openTier(server().remote(bucket, "bake/"), root.resolve("tmp"));
        return tier.blobs();
    }

    @AfterEach
    void closeTier() {
        tier.close();
    }

    @Override
    protected Path stagingDir() {
        return root.resolve("tmp");
    }

    @Override
    protected byte[] storedBytes(Digest digest) throws IOException {
        return server().read(bucket, tier.blobs().keyOf(digest));
    }

    @Override
    protected void replaceStoredBytes(Digest digest, byte[] stored) throws IOException {
        server().write(bucket, tier.blobs().keyOf(digest), stored);
    }
}
