package dev.bakecache.engine.remote;

import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.config.RemoteType;
import dev.bakecache.engine.hash.HashAlgorithm;
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
 * Opens an S3 remote ({@code cache.remotes[]} entry of type s3) as a {@link BucketTier}.
 *
 * <p>The client retries with the SDK's standard strategy: exponential backoff with jitter on
 * throttling, 5xx and I/O errors and timeouts, at most 3 attempts, and no retry on any other 4xx
 * (a 403 will not heal by asking again). With an {@code endpoint} (MinIO, S3Proxy) it uses
 * path-style addressing, since such servers rarely have per-bucket host names.
 */
public final class S3Tier {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);

    private S3Tier() {
    }

    /**
     * Opens the remote with credentials from the AWS default chain (environment, system
     * properties, profile files, container and instance roles).
     *
     * @param tmpDir where uploads are staged while they are encoded and hashed
     * @param uploadParallelism threads a batch put uploads with ({@code cache.parallelism.upload})
     */
    public static BucketTier open(RemoteConfig remote, HashAlgorithm algorithm, CompressionPolicy compression,
                                  Path tmpDir, int uploadParallelism) {
        return open(remote, algorithm, compression, tmpDir, uploadParallelism,
                DefaultCredentialsProvider.builder().build());
    }

    public static BucketTier open(RemoteConfig remote, HashAlgorithm algorithm, CompressionPolicy compression,
                                  Path tmpDir, int uploadParallelism, AwsCredentialsProvider credentials) {
        BucketTier.requireType(remote, RemoteType.S3);
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
        return new BucketTier(remote, new S3Bucket(builder.build(), remote.bucket()), algorithm, compression,
                tmpDir, uploadParallelism);
    }
}
