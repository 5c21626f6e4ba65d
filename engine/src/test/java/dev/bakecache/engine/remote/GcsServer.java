package dev.bakecache.engine.remote;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.contrib.nio.testing.LocalStorageHelper;
import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.config.RemoteType;
import dev.bakecache.engine.hash.HashAlgorithm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.StreamSupport;

/**
 * GCS as the tests see it: either the Firebase Storage emulator over HTTP on 127.0.0.1 (the real
 * JSON API, see {@link FirebaseStorageEmulator}) or google-cloud-nio's in-memory fake, which skips
 * HTTP and so the wire format, but is fast. Tests never use the in-memory one alone.
 */
final class GcsServer implements BucketServer {

    private final URI endpoint;
    private final Function<RemoteConfig, Storage> clients;
    private final Storage admin;

    private GcsServer(URI endpoint, Function<RemoteConfig, Storage> clients) {
        this.endpoint = endpoint;
        this.clients = clients;
        this.admin = clients.apply(remote("admin", ""));
    }

    /** The shared emulator, as {@code Tiers.open} would reach it but without credentials. */
    static GcsServer emulator() {
        return new GcsServer(FirebaseStorageEmulator.endpoint(),
                remote -> GcsTier.client(remote, NoCredentials.getInstance()));
    }

    /**
     * A new in-memory fake. Every tier gets the same client, which closing leaves usable, since a
     * new client would be a new, empty store. The fake is not thread-safe (it keys a resumable
     * upload by object name, so concurrent uploads of one object share a buffer), so calls into
     * it take turns; the emulator runs them concurrently.
     */
    static GcsServer inMemory() {
        Storage store = LocalStorageHelper.customOptions(false).getService();
        Storage oneCallAtATime = (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(),
                new Class<?>[] {Storage.class}, (proxy, method, args) -> {
                    synchronized (store) {
                        try {
                            return method.invoke(store, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }
                });
        return new GcsServer(null, remote -> oneCallAtATime);
    }

    /** The emulator makes a bucket when its first object arrives, so a fresh name is a fresh bucket. */
    @Override
    public String createBucket() {
        return "test-bucket-" + UUID.randomUUID();
    }

    @Override
    public RemoteConfig remote(String bucket, String prefix) {
        return new RemoteConfig("team-gcs", RemoteType.GCS, bucket, null, prefix, FirebaseStorageEmulator.PROJECT,
                endpoint);
    }

    @Override
    public BucketTier openTier(RemoteConfig remote, Path tmpDir) {
        return GcsTier.open(remote, HashAlgorithm.BLAKE3, CompressionPolicy.defaults(), tmpDir, 4,
                clients.apply(remote));
    }

    @Override
    public List<String> keys(String bucket) {
        return StreamSupport.stream(admin.list(bucket, BlobListOption.pageSize(1000)).iterateAll().spliterator(), false)
                .map(Blob::getName)
                .toList();
    }

    @Override
    public byte[] read(String bucket, String key) {
        return admin.readAllBytes(BlobId.of(bucket, key));
    }

    @Override
    public void write(String bucket, String key, byte[] bytes) throws IOException {
        admin.createFrom(BlobInfo.newBuilder(bucket, key).build(), new ByteArrayInputStream(bytes));
    }
}
