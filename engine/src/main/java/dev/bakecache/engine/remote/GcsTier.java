package dev.bakecache.engine.remote;

import com.google.api.gax.retrying.RetrySettings;
import com.google.auth.Credentials;
import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import com.google.cloud.storage.StorageRetryStrategy;
import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.config.RemoteType;
import dev.bakecache.engine.hash.HashAlgorithm;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Opens a GCS remote ({@code cache.remotes[]} entry of type gcs) as a {@link BucketTier}, over
 * the JSON API on HTTP (no gRPC).
 *
 * <p>The client retries with exponential backoff and jitter on 408, 429, 5xx, I/O errors and
 * timeouts, at most 3 attempts, and never on any other 4xx. It retries uploads too, which the
 * library's default strategy leaves alone because a repeated write could replace someone else's
 * newer object: here a blob's key names its content, so a repeat writes the same bytes, and a
 * manifest repeat writes the same manifest. With an {@code endpoint} (an emulator) it talks to
 * that host instead of storage.googleapis.com; an endpoint on this machine (127.0.0.1,
 * localhost) gets no credentials at all, as Google's emulators expect, so nothing asks a metadata
 * server for them.
 */
public final class GcsTier {

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(60);
    private static final RetrySettings RETRIES = RetrySettings.newBuilder()
            .setMaxAttempts(3)
            .setInitialRetryDelayDuration(Duration.ofMillis(200))
            .setRetryDelayMultiplier(2.0)
            .setMaxRetryDelayDuration(Duration.ofSeconds(5))
            .setTotalTimeoutDuration(Duration.ofMinutes(5))
            .build();

    private GcsTier() {
    }

    /**
     * Opens the remote with credentials from Google's default chain (GOOGLE_APPLICATION_CREDENTIALS,
     * gcloud's user credentials, the metadata server of GCE, GKE and Cloud Run).
     *
     * @param tmpDir where uploads are staged while they are encoded and hashed
     * @param uploadParallelism threads a batch put uploads with ({@code cache.parallelism.upload})
     */
    public static BucketTier open(RemoteConfig remote, HashAlgorithm algorithm, CompressionPolicy compression,
                                  Path tmpDir, int uploadParallelism) {
        StorageOptions.Builder options = options(remote);
        if (remote.endpoint() != null && isLoopback(remote.endpoint().getHost())) {
            options.setCredentials(NoCredentials.getInstance());
        }
        return open(remote, algorithm, compression, tmpDir, uploadParallelism, options.build().getService());
    }

    /** On a client of {@link #client} or one built elsewhere (an in-memory fake); it is closed with the tier. */
    public static BucketTier open(RemoteConfig remote, HashAlgorithm algorithm, CompressionPolicy compression,
                                  Path tmpDir, int uploadParallelism, Storage client) {
        BucketTier.requireType(remote, RemoteType.GCS);
        return new BucketTier(remote, new GcsBucket(client, remote.bucket()), algorithm, compression,
                tmpDir, uploadParallelism);
    }

    /** The client {@link #open} uses, with the given credentials, such as {@code NoCredentials} for an emulator. */
    public static Storage client(RemoteConfig remote, Credentials credentials) {
        return options(remote).setCredentials(credentials).build().getService();
    }

    private static boolean isLoopback(String host) {
        return host.equals("127.0.0.1") || host.equals("localhost") || host.equals("[::1]");
    }

    private static StorageOptions.Builder options(RemoteConfig remote) {
        BucketTier.requireType(remote, RemoteType.GCS);
        StorageOptions.Builder options = StorageOptions.http()
                .setTransportOptions(HttpTransportOptions.newBuilder()
                        .setConnectTimeout((int) CONNECT_TIMEOUT.toMillis())
                        .setReadTimeout((int) READ_TIMEOUT.toMillis())
                        .build())
                .setRetrySettings(RETRIES)
                .setStorageRetryStrategy(StorageRetryStrategy.getUniformStorageRetryStrategy());
        if (remote.project() != null) {
            options.setProjectId(remote.project());
        }
        if (remote.endpoint() != null) {
            options.setHost(remote.endpoint().toString());
        }
        return options;
    }
}
