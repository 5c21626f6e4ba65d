package dev.bakecache.engine.remote;

import dev.bakecache.engine.manifest.ManifestStore;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Manifests in a bucket, S3 or GCS alike, one object per action key
 * ({@code <prefix>ac/<key>.json}), kept as the exact bytes the local tier signed. This store
 * neither signs nor verifies: callers parse with {@code ManifestJson} and check with
 * {@code ManifestSigner}, as {@code ActionCache} does, so a manifest is verified wherever it is
 * read, not trusted for having been in a bucket.
 */
public final class BucketManifestStore implements ManifestStore {

    private final ObjectBucket bucket;
    private final RemoteKeys keys;

    BucketManifestStore(ObjectBucket bucket, RemoteKeys keys) {
        this.bucket = bucket;
        this.keys = keys;
    }

    @Override
    public void putBytes(String actionKey, byte[] manifestJson) throws IOException {
        bucket.put(keys.manifestKey(actionKey), manifestJson);
    }

    @Override
    public Optional<byte[]> getBytes(String actionKey) throws IOException {
        Optional<InputStream> object = bucket.get(keys.manifestKey(actionKey));
        if (object.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = object.get()) {
            return Optional.of(in.readAllBytes());
        }
    }

    @Override
    public boolean contains(String actionKey) throws IOException {
        return bucket.head(keys.manifestKey(actionKey)).isPresent();
    }

    @Override
    public boolean delete(String actionKey) throws IOException {
        if (!contains(actionKey)) {
            return false;
        }
        bucket.delete(keys.manifestKey(actionKey));
        return true;
    }

    /**
     * Lists page by page as consumed. A failing page throws an {@link java.io.UncheckedIOException} around an
     * {@link ObjectRequestException}.
     */
    @Override
    public Stream<String> keys() {
        return bucket.list(keys.manifestsPrefix()).map(o -> keys.actionKeyOf(o.key())).filter(k -> k != null);
    }

    /** Where the manifests live, for messages. */
    public String location() {
        return bucket.url(keys.manifestsPrefix());
    }
}
