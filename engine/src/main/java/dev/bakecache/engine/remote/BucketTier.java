package dev.bakecache.engine.remote;

import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.config.RemoteType;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.store.BlobEncoder;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.tier.RequestCounter;
import dev.bakecache.engine.tier.Tier;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One remote ({@code cache.remotes[]} entry): its blobs, its chunks and its manifests in one
 * bucket, sharing the bucket's client and request counter. {@link S3Tier} and {@link GcsTier}
 * open one; close it to release the client.
 */
public final class BucketTier implements Tier {

    /** How long a blob seen present is trusted without asking again. */
    public static final Duration EXISTENCE_TTL = Duration.ofMinutes(5);

    private final String name;
    private final ObjectBucket bucket;
    private final BucketBlobStore blobs;
    private final BucketBlobStore chunks;
    private final BucketManifestStore manifests;

    /**
     * @param bucket closed with this tier
     * @param tmpDir where uploads are staged while they are encoded and hashed
     * @param uploadParallelism threads a batch put uploads with ({@code cache.parallelism.upload})
     */
    BucketTier(RemoteConfig remote, ObjectBucket bucket, HashAlgorithm algorithm, CompressionPolicy compression,
               Path tmpDir, int uploadParallelism) {
        this.name = remote.name();
        this.bucket = bucket;
        RemoteKeys keys = new RemoteKeys(remote.prefix(), algorithm);
        BlobEncoder encoder = new BlobEncoder(algorithm, compression);
        this.blobs = new BucketBlobStore(bucket, keys, BlobKind.BLOB, encoder, tmpDir,
                new ExistenceCache(EXISTENCE_TTL, System::nanoTime), uploadParallelism);
        this.chunks = new BucketBlobStore(bucket, keys, BlobKind.CHUNK, encoder, tmpDir,
                new ExistenceCache(EXISTENCE_TTL, System::nanoTime), uploadParallelism);
        this.manifests = new BucketManifestStore(bucket, keys);
    }

    /** Refuses a remote of another provider, which would otherwise fail later and less clearly. */
    static void requireType(RemoteConfig remote, RemoteType type) {
        if (remote.type() != type) {
            throw new IllegalArgumentException("remote '" + remote.name() + "' is of type " + remote.type().id()
                    + ", not " + type.id());
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public BucketBlobStore store(BlobKind kind) {
        return switch (kind) {
            case BLOB -> blobs;
            case CHUNK -> chunks;
        };
    }

    public BucketBlobStore blobs() {
        return blobs;
    }

    public BucketBlobStore chunks() {
        return chunks;
    }

    @Override
    public BucketManifestStore manifests() {
        return manifests;
    }

    /** The bucket the three stores share, for what no store offers: the tests' direct uploads. */
    ObjectBucket bucket() {
        return bucket;
    }

    /** Requests sent so far by all three stores. */
    @Override
    public RequestCounter requests() {
        return bucket.requests();
    }

    @Override
    public void close() {
        bucket.close();
    }

    @Override
    public String toString() {
        return name + " " + bucket.url("");
    }
}
