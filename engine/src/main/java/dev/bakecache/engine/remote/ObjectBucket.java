package dev.bakecache.engine.remote;

import dev.bakecache.engine.tier.RequestCounter;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The few object operations a remote tier needs, on one bucket of one provider (S3, GCS); the
 * stores above it know nothing else of the provider. Each operation is counted in
 * {@link #requests()}, a missing object is an empty result rather than an exception, and every
 * other failure is an {@link ObjectRequestException} naming bucket and key. Retries (backoff with
 * jitter on throttling, 5xx and I/O errors, none on other 4xx) happen inside the provider's
 * client. Closing the bucket releases that client.
 */
public abstract class ObjectBucket implements Closeable {

    /** The bucket's name, as the provider's API wants it. */
    protected final String bucket;
    private final String scheme;
    private final RequestCounter requests = new RequestCounter();

    /** @param scheme {@code s3} or {@code gs}, for {@link #url} */
    protected ObjectBucket(String scheme, String bucket) {
        this.scheme = scheme;
        this.bucket = bucket;
    }

    /** {@code s3://bucket/key} or {@code gs://bucket/key}, for messages. */
    public final String url(String key) {
        return scheme + "://" + bucket + "/" + key;
    }

    public final RequestCounter requests() {
        return requests;
    }

    public abstract Optional<BucketObject> head(String key) throws ObjectRequestException;

    /** The object's bytes as they arrive, or empty when there is no such object. */
    public abstract Optional<InputStream> get(String key) throws ObjectRequestException;

    /**
     * Uploads the file as the object. The server is given the file's MD5 and refuses the object
     * unless it received exactly these bytes, so a failed call leaves no corrupt object behind.
     *
     * @param contentMd5 the base64 MD5 of the file, as {@link Md5#base64} gives it
     * @throws IOException when the file cannot be read; an {@link ObjectRequestException} when the
     *     upload fails
     */
    public abstract void put(String key, Path file, String contentMd5) throws IOException;

    /** Uploads small bytes (a manifest), checked like {@link #put(String, Path, String)}. */
    public abstract void put(String key, byte[] bytes) throws IOException;

    public abstract void delete(String key) throws ObjectRequestException;

    /**
     * Every object under {@code prefix}, fetched page by page as the stream is consumed. A failing
     * page throws an {@link java.io.UncheckedIOException} around an {@link ObjectRequestException}.
     */
    public abstract Stream<BucketObject> list(String prefix);

    /** Releases the provider's client. */
    @Override
    public abstract void close();
}
