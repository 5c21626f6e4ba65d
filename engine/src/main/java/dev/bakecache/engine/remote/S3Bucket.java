package dev.bakecache.engine.remote;

import dev.bakecache.engine.tier.RequestCounter.Request;
import dev.bakecache.engine.tier.RequestCounter;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The few object operations the S3 tier needs, on one bucket: each is counted, a missing object
 * is an empty result rather than an exception, and every other failure becomes an
 * {@link S3RequestException} naming bucket and key. Retries (backoff with jitter on throttling,
 * 5xx and I/O errors, none on other 4xx) happen inside the client, see {@link S3Tier}.
 */
public final class S3Bucket {

    private static final int NOT_FOUND = 404;
    private static final String NO_SUCH_BUCKET = "NoSuchBucket";

    private final S3Client client;
    private final String bucket;
    private final RequestCounter requests;

    public S3Bucket(S3Client client, String bucket, RequestCounter requests) {
        this.client = client;
        this.bucket = bucket;
        this.requests = requests;
    }

    public String name() {
        return bucket;
    }

    public RequestCounter requests() {
        return requests;
    }

    /** {@code s3://bucket/key}, for messages. */
    public String url(String key) {
        return "s3://" + bucket + "/" + key;
    }

    public Optional<HeadObjectResponse> head(String key) throws S3RequestException {
        requests.count(Request.HEAD);
        try {
            return Optional.of(client.headObject(b -> b.bucket(bucket).key(key)));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("HEAD", key, e);
        }
    }

    /** The object's bytes as they arrive, or empty when there is no such object. */
    public Optional<InputStream> get(String key) throws S3RequestException {
        requests.count(Request.GET);
        try {
            ResponseInputStream<GetObjectResponse> in = client.getObject(b -> b.bucket(bucket).key(key));
            return Optional.of(in);
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("GET", key, e);
        }
    }

    /**
     * Uploads the file as the object. The Content-MD5 header makes the server check that it
     * received exactly these bytes and refuse the object otherwise.
     */
    public void put(String key, Path file, String contentMd5) throws S3RequestException {
        put(key, RequestBody.fromFile(file), contentMd5);
    }

    public void put(String key, byte[] bytes) throws S3RequestException {
        MessageDigest md5 = newMd5();
        md5.update(bytes);
        put(key, RequestBody.fromBytes(bytes), base64(md5));
    }

    private void put(String key, RequestBody body, String contentMd5) throws S3RequestException {
        requests.count(Request.PUT);
        try {
            client.putObject(b -> b.bucket(bucket).key(key).contentMD5(contentMd5), body);
        } catch (SdkException e) {
            throw failure("PUT", key, e);
        }
    }

    public void delete(String key) throws S3RequestException {
        requests.count(Request.DELETE);
        try {
            client.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("DELETE", key, e);
        }
    }

    /**
     * Every object under {@code prefix}, fetched page by page (1000 keys a request) as the stream
     * is consumed. A failing page throws an {@link UncheckedIOException} around an
     * {@link S3RequestException}.
     */
    public Stream<S3Object> list(String prefix) {
        Iterator<ListObjectsV2Response> pages =
                client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).iterator();
        Iterator<ListObjectsV2Response> counted = new Iterator<>() {
            @Override
            public boolean hasNext() {
                try {
                    return pages.hasNext();
                } catch (SdkException e) {
                    throw new UncheckedIOException(failure("LIST", prefix, e));
                }
            }

            @Override
            public ListObjectsV2Response next() {
                requests.count(Request.LIST);
                try {
                    return pages.next();
                } catch (SdkException e) {
                    throw new UncheckedIOException(failure("LIST", prefix, e));
                }
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(counted, Spliterator.ORDERED), false)
                .flatMap(page -> page.contents().stream());
    }

    static MessageDigest newMd5() {
        try {
            return MessageDigest.getInstance("MD5");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    /** The Content-MD5 header value of what {@code md5} has seen. */
    static String base64(MessageDigest md5) {
        return Base64.getEncoder().encodeToString(md5.digest());
    }

    private S3RequestException failure(String operation, String key, SdkException e) {
        int status = e instanceof SdkServiceException service ? service.statusCode() : 0;
        return new S3RequestException(operation, bucket, key, status, e);
    }

    /**
     * A missing object, as opposed to a missing bucket, which is a configuration error that must
     * not read as "the tier lacks this blob". A HEAD's 404 has no body to tell the two apart, so
     * there a missing bucket surfaces at the first PUT or GET.
     */
    private static boolean isNotFound(SdkException e) {
        if (!(e instanceof SdkServiceException service) || service.statusCode() != NOT_FOUND) {
            return false;
        }
        return !(e instanceof AwsServiceException aws && aws.awsErrorDetails() != null
                && NO_SUCH_BUCKET.equals(aws.awsErrorDetails().errorCode()));
    }
}
