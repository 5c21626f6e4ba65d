package dev.bakecache.engine.remote;

import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.config.RemoteType;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.store.BlobEncoder;
import dev.bakecache.engine.store.BlobKind;
import dev.bakecache.engine.tier.RequestCounter;
import dev.bakecache.engine.tier.Tier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import java.nio.file.Path;
import java.time.Duration;

/**
 * One S3 remote ({@code cache.remotes[]} entry of type s3): its blobs, its chunks and its
 * manifests, sharing one client and one request counter. Close it to release the client.
 *
 * <p>The client retries with the SDK's standard strategy: exponential backoff with jitter on
 * throttling, 5xx and I/O errors and timeouts, at most 3 attempts, and no retry on any other 4xx
 * (a 403 will not heal by asking again). With an {@code endpoint} (MinIO, S3Proxy) it uses
 * path-style addressing, since such servers rarely have per-bucket host names.
 */
public final class S3Tier implements Tier {

    /** How long a blob seen present is trusted without asking again. */
    public static final Duration EXISTENCE_TTL = Duration.ofMinutes(5);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private final String name;
    private final S3Client client;
    private final S3Bucket bucket;
    private final S3BlobStore blobs;
    private final S3BlobStore chunks;
    private final S3ActionStore manifests;

    private S3Tier(S3Client client, RemoteConfig remote, HashAlgorithm algorithm, CompressionPolicy compression,
                   Path tmpDir, int uploadParallelism) {
        this.name = remote.name();
        this.client = client;
        this.bucket = new S3Bucket(client, remote.bucket(), new RequestCounter());
        RemoteKeys keys = new RemoteKeys(remote.prefix(), algorithm);
        BlobEncoder encoder = new BlobEncoder(algorithm, compression);
        this.blobs = new S3BlobStore(bucket, keys, BlobKind.BLOB, encoder, tmpDir,
                new ExistenceCache(EXISTENCE_TTL, System::nanoTime), uploadParallelism);
        this.chunks = new S3BlobStore(bucket, keys, BlobKind.CHUNK, encoder, tmpDir,
                new ExistenceCache(EXISTENCE_TTL, System::nanoTime), uploadParallelism);
        this.manifests = new S3ActionStore(bucket, keys);
    }

    /**
     * Opens the remote with credentials from the AWS default chain (environment, system
     * properties, profile files, container and instance roles).
     *
     * @param tmpDir where uploads are staged while they are encoded and hashed
     * @param uploadParallelism threads a batch put uploads with ({@code cache.parallelism.upload})
     */
    public static S3Tier open(RemoteConfig remote, HashAlgorithm algorithm, CompressionPolicy compression,
                              Path tmpDir, int uploadParallelism) {
        return open(remote, algorithm, compression, tmpDir, uploadParallelism,
                DefaultCredentialsProvider.builder().build());
    }

    public static S3Tier open(RemoteConfig remote, HashAlgorithm algorithm, CompressionPolicy compression,
                              Path tmpDir, int uploadParallelism, AwsCredentialsProvider credentials) {
        if (remote.type() != RemoteType.S3) {
            throw new IllegalArgumentException("remote '" + remote.name() + "' is of type " + remote.type().id()
                    + ", not s3");
        }
        S3ClientBuilder builder = S3Client.builder()
                .credentialsProvider(credentials)
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(CONNECT_TIMEOUT)
                        .socketTimeout(READ_TIMEOUT)
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD))
                // Content-MD5 already guards every upload; the SDK's extra trailing checksums
                // are not understood by every S3-compatible server.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
        if (remote.region() != null) {
            builder.region(Region.of(remote.region()));
        } else if (remote.endpoint() != null) {
            // S3-compatible servers ignore the region, but request signing needs one.
            builder.region(Region.US_EAST_1);
        }
        if (remote.endpoint() != null) {
            builder.endpointOverride(remote.endpoint()).forcePathStyle(true);
        }
        return new S3Tier(builder.build(), remote, algorithm, compression, tmpDir, uploadParallelism);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public S3BlobStore store(BlobKind kind) {
        return switch (kind) {
            case BLOB -> blobs;
            case CHUNK -> chunks;
        };
    }

    public S3BlobStore blobs() {
        return blobs;
    }

    public S3BlobStore chunks() {
        return chunks;
    }

    @Override
    public S3ActionStore manifests() {
        return manifests;
    }

    /** Requests sent so far by all three stores. */
    @Override
    public RequestCounter requests() {
        return bucket.requests();
    }

    @Override
    public void close() {
        client.close();
    }
}
