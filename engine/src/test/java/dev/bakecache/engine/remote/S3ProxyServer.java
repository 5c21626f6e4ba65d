package dev.bakecache.engine.remote;

import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.config.RemoteType;
import dev.bakecache.engine.hash.HashAlgorithm;
import org.gaul.s3proxy.junit.S3ProxyJunitCore;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * S3Proxy, an S3-compatible server, running in this JVM on 127.0.0.1 with a throw-away
 * filesystem store and static test credentials: the S3 tests reach nothing beyond loopback.
 * Register it as a static extension to share one server across a test class; each test takes a
 * fresh bucket.
 */
final class S3ProxyServer implements BucketServer, BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private static final AtomicInteger BUCKETS = new AtomicInteger();

    private S3ProxyJunitCore proxy;
    private S3Client admin;

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    void start() throws Exception {
        proxy = new S3ProxyJunitCore.Builder()
                .withCredentials("test-access-key", "test-secret-key")
                .build();
        proxy.beforeEach();
        admin = S3Client.builder()
                .endpointOverride(proxy.getUri())
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials())
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    URI endpoint() {
        return proxy.getUri();
    }

    AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(proxy.getAccessKey(), proxy.getSecretKey()));
    }

    @Override
    public String createBucket() {
        String bucket = "test-bucket-" + BUCKETS.incrementAndGet();
        admin.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    @Override
    public RemoteConfig remote(String bucket, String prefix) {
        return new RemoteConfig("team-s3", RemoteType.S3, bucket, "us-east-1", prefix, null, endpoint());
    }

    @Override
    public BucketTier openTier(RemoteConfig remote, Path tmpDir) {
        return S3Tier.open(remote, HashAlgorithm.BLAKE3, CompressionPolicy.defaults(), tmpDir, 4, credentials());
    }

    @Override
    public List<String> keys(String bucket) {
        return admin.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).toList();
    }

    @Override
    public byte[] read(String bucket, String key) {
        return admin.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    @Override
    public void write(String bucket, String key, byte[] bytes) {
        admin.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(bytes));
    }

    @Override
    public void close() {
        admin.close();
        proxy.afterEach();
    }
}
