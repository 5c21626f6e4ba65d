package dev.bakecache.engine.remote;

import dev.bakecache.engine.tier.RequestCounter.Request;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** An S3 bucket (or an S3-compatible server's) through the AWS SDK; see {@link S3Tier} for its client. */
public final class S3Bucket extends ObjectBucket {

    private static final int NOT_FOUND = 404;
    private static final String NO_SUCH_BUCKET = "NoSuchBucket";
    private static final String CREDENTIALS = "the AWS default chain";

    private final S3Client client;

    /** @param client closed with this bucket */
    public S3Bucket(S3Client client, String bucket) {
        super("s3", bucket);
        this.client = client;
    }

    @Override
    public Optional<BucketObject> head(String key) throws ObjectRequestException {
        requests().count(Request.HEAD);
        try {
            HeadObjectResponse head = client.headObject(b -> b.bucket(bucket).key(key));
            return Optional.of(new BucketObject(key, head.contentLength(), head.lastModified()));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("HEAD", key, e);
        }
    }

    @Override
    public Optional<InputStream> get(String key) throws ObjectRequestException {
        requests().count(Request.GET);
        try {
            return Optional.of(client.getObject(b -> b.bucket(bucket).key(key)));
        } catch (SdkException e) {
            if (isNotFound(e)) {
                return Optional.empty();
            }
            throw failure("GET", key, e);
        }
    }

    /** The Content-MD5 header makes S3 check the bytes it received before the object exists. */
    @Override
    public void put(String key, Path file, String contentMd5) throws ObjectRequestException {
        put(key, RequestBody.fromFile(file), contentMd5);
    }

    @Override
    public void put(String key, byte[] bytes) throws ObjectRequestException {
        put(key, RequestBody.fromBytes(bytes), Md5.base64(bytes));
    }

    private void put(String key, RequestBody body, String contentMd5) throws ObjectRequestException {
        requests().count(Request.PUT);
        try {
            client.putObject(b -> b.bucket(bucket).key(key).contentMD5(contentMd5), body);
        } catch (SdkException e) {
            throw failure("PUT", key, e);
        }
    }

    @Override
    public void delete(String key) throws ObjectRequestException {
        requests().count(Request.DELETE);
        try {
            client.deleteObject(b -> b.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw failure("DELETE", key, e);
        }
    }

    /** 1000 keys a page. */
    @Override
    public Stream<BucketObject> list(String prefix) {
        return PagedListing.<ListObjectsV2Response, S3Object>stream(
                        () -> listPage(prefix, null),
                        page -> page.isTruncated() ? () -> listPage(prefix, page.nextContinuationToken()) : null,
                        ListObjectsV2Response::contents)
                .map(o -> new BucketObject(o.key(), o.size(), o.lastModified()));
    }

    private ListObjectsV2Response listPage(String prefix, String continuationToken) throws ObjectRequestException {
        requests().count(Request.LIST);
        try {
            return client.listObjectsV2(b -> b.bucket(bucket).prefix(prefix).continuationToken(continuationToken));
        } catch (SdkException e) {
            throw failure("LIST", prefix, e);
        }
    }

    @Override
    public void close() {
        client.close();
    }

    private ObjectRequestException failure(String operation, String key, SdkException e) {
        int status = e instanceof SdkServiceException service ? service.statusCode() : 0;
        return new ObjectRequestException(operation, url(key), status, CREDENTIALS, e);
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
