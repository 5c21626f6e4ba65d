package dev.bakecache.engine.layered;

import dev.bakecache.engine.config.CacheConfig;
import dev.bakecache.engine.config.CacheStrategy;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.engine.config.WriteMode;
import dev.bakecache.engine.hash.Digest;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * S3Proxy in this JVM on 127.0.0.1, reached the way jobs reach a remote: through
 * {@code Tiers.open} and the AWS default credential chain, which finds the test credentials in
 * system properties. Each test takes a fresh bucket; a remote at {@link #closedPort} stands for
 * one that is down.
 */
final class S3ProxyRemote implements BeforeAllCallback, AfterAllCallback {

    static final String NAME = "teamS3";
    static final String PREFIX = "bake/";
    private static final String ACCESS_KEY = "layered-access-key";
    private static final String SECRET_KEY = "layered-secret-key";
    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private S3ProxyJunitCore proxy;
    private S3Client admin;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        proxy = new S3ProxyJunitCore.Builder().withCredentials(ACCESS_KEY, SECRET_KEY).build();
        proxy.beforeEach();
        System.setProperty("aws.accessKeyId", ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", SECRET_KEY);
        admin = S3Client.builder()
                .endpointOverride(proxy.getUri())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        admin.close();
        proxy.afterEach();
    }

    String createBucket() {
        String bucket = "layered-" + BUCKETS.incrementAndGet();
        admin.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    /**
     * A configuration with the local tier at {@code localRoot}, one S3 remote at {@code endpoint},
     * and chunking from 256 KiB so a test needs no large files.
     */
    static CacheConfig config(Path localRoot, URI endpoint, String bucket, CacheStrategy strategy, WriteMode writeMode) {
        return ConfigLoader.parse("""
                cache:
                  strategy: %s
                  writeMode: %s
                  cas: {chunking: {threshold: 256KB, minChunk: 16KB, avgChunk: 64KB, maxChunk: 128KB}}
                  remotes:
                    - {name: %s, type: s3, bucket: %s, region: us-east-1, prefix: %s, endpoint: '%s'}
                """.formatted(strategy.id(), writeMode.id(), NAME, bucket, PREFIX, endpoint), "layered-test.yaml")
                .withLocalPath(localRoot);
    }

    CacheConfig config(Path localRoot, String bucket, CacheStrategy strategy, WriteMode writeMode) {
        return config(localRoot, proxy.getUri(), bucket, strategy, writeMode);
    }

    /** An endpoint on 127.0.0.1 where nothing listens: connections are refused at once. */
    static URI closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
    }

    /** A blake3 blob's object key, in the layout of docs/adr/0009. */
    static String blobKey(Digest digest) {
        return PREFIX + "cas/blobs/blake3/" + digest.shardPrefix() + "/" + digest.hash();
    }

    byte[] object(String bucket, String key) {
        return admin.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    void replaceObject(String bucket, String key, byte[] bytes) {
        admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    void deleteObject(String bucket, String key) {
        admin.deleteObject(b -> b.bucket(bucket).key(key));
    }

    List<String> keys(String bucket) {
        return admin.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }
}
