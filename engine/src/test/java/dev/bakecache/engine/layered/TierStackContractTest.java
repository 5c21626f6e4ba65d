package dev.bakecache.engine.layered;

import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.CacheStrategy;
import dev.bakecache.engine.config.WriteMode;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.store.BlobStore;
import dev.bakecache.engine.store.BlobStoreContract;
import dev.bakecache.engine.store.CasLayout;
import dev.bakecache.engine.store.LocalBlobStore;
import dev.bakecache.engine.tier.Tier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A local tier and an S3 remote, local-first and write-through: every blob lands in both, so
 * "the stored bytes" are the same in each and damage is done to both copies.
 */
class TierStackContractTest extends BlobStoreContract {

    @RegisterExtension
    static final S3ProxyRemote server = new S3ProxyRemote();

    private final List<Tier> remotes = new ArrayList<>();
    private LocalBlobStore local;
    private String bucket;

    @Override
    protected BlobStore openEmptyStore(Path root) throws IOException {
        bucket = server.createBucket();
        CacheConfig config = server.config(root, bucket, CacheStrategy.LOCAL_FIRST, WriteMode.WRITE_THROUGH);
        local = LocalBlobStore.open(new CasLayout(root), BlobKind.BLOB, ALGORITHM, CompressionPolicy.defaults());
        Tier remote = Tiers.open(config, S3ProxyRemote.NAME, Map.of());
        remotes.add(remote);
        return TierStack.compose(config, local,
                List.of(new TierStore(remote.name(), remote.store(BlobKind.BLOB))), new TierWarnings()).store();
    }

    @AfterEach
    void closeRemotes() throws IOException {
        for (Tier remote : remotes) {
            remote.close();
        }
    }

    @Override
    protected Path stagingDir() {
        return root.resolve("tmp");
    }

    @Override
    protected byte[] storedBytes(Digest digest) throws IOException {
        byte[] localBytes = Files.readAllBytes(local.pathOf(digest));
        if (!java.util.Arrays.equals(localBytes, server.object(bucket, S3ProxyRemote.blobKey(digest)))) {
            throw new AssertionError("write-through left different bytes in the two tiers for " + digest);
        }
        return localBytes;
    }

    @Override
    protected void replaceStoredBytes(Digest digest, byte[] stored) throws IOException {
        Path file = local.pathOf(digest);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.write(file, stored);
        server.replaceObject(bucket, S3ProxyRemote.blobKey(digest), stored);
    }
}
