package dev.bakecache.jobs;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * S3Proxy, an S3-compatible server, in this JVM on 127.0.0.1, keeping its objects in a directory
 * of the test's: it can be stopped and started again on the same port with its objects intact,
 * as a real server that goes down in the middle of a job and comes back. The credentials match
 * the AWS_* variables the jobs' surefire configuration sets.
 */
final class S3Server implements AutoCloseable {

    static final String ACCESS_KEY = "test-access-key";
    static final String SECRET_KEY = "test-secret-key";

    private final Path data;
    private int port;
    private S3Proxy proxy;

    private S3Server(Path data) {
        this.data = data;
    }

    static S3Server start(Path data) throws Exception {
        S3Server server = new S3Server(data);
        server.start();
        return server;
    }

    void start() throws Exception {
        Files.createDirectories(data);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", data.toString());
        properties.setProperty("jclouds.identity", ACCESS_KEY);
        properties.setProperty("jclouds.credential", SECRET_KEY);
        proxy = S3Proxy.builder()
                .blobStore(BlobStores.create("filesystem", properties))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .build();
        proxy.start();
        while (!proxy.getState().equals("STARTED")) {
            Thread.sleep(10);
        }
        port = proxy.getPort();
    }

    void stop() throws Exception {
        proxy.stop();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    /** The filesystem store keeps a bucket as a directory. */
    void createBucket(String bucket) throws IOException {
        Files.createDirectories(data.resolve(bucket));
    }

    /** A {@code cache.remotes} entry for a bucket of this server. */
    String remoteYaml(String name, String bucket) {
        return """
                    - name: %s
                      type: s3
                      bucket: %s
                      region: us-east-1
                      prefix: bake/
                      endpoint: %s
                """.formatted(name, bucket, endpoint());
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
