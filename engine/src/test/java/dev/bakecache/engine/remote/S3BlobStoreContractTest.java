package dev.bakecache.engine.remote;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.store.BlobStore;
import dev.bakecache.engine.store.BlobStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.sync.RequestBody;

import java.nio.file.Path;

class S3BlobStoreContractTest extends BlobStoreContract {

    @RegisterExtension
    static final S3ProxyServer server = new S3ProxyServer();

    private String bucket;
    private S3Tier tier;

    @Override
    protected BlobStore openEmptyStore(Path root) {
        bucket = server.createBucket();
        tier = server.openTier(server.remote(bucket, "bake/"), root.resolve("tmp"));
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
    protected byte[] storedBytes(Digest digest) {
        return server.admin().getObjectAsBytes(b -> b.bucket(bucket).key(tier.blobs().keyOf(digest))).asByteArray();
    }

    @Override
    protected void replaceStoredBytes(Digest digest, byte[] stored) {
        server.admin().putObject(b -> b.bucket(bucket).key(tier.blobs().keyOf(digest)), RequestBody.fromBytes(stored));
    }
}
