package dev.bakecache.engine.remote;

import com.sun.net.httpserver.HttpServer;
import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.config.RemoteType;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.store.BlobStoreContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What goes over the wire, against a tiny HTTP server on 127.0.0.1 that answers with the
 * statuses a test scripts for each blob: server errors are retried, client errors are not, and
 * uploads carry the checksum the server verifies them with.
 */
class S3WireTest {

    @TempDir
    Path root;
    private HttpServer server;
    private final Map<String, AtomicInteger> requestsByBlob = new ConcurrentHashMap<>();
    private final Map<String, int[]> statusesByBlob = new ConcurrentHashMap<>();
    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    private record Upload(String contentMd5, byte[] body) {
    }

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            String hash = exchange.getRequestURI().getPath().replaceAll(".*/", "");
            int n = requestsByBlob.computeIfAbsent(hash, h -> new AtomicInteger()).getAndIncrement();
            int[] statuses = statusesByBlob.get(hash);
            int status = statuses[Math.min(n, statuses.length - 1)];
            if (exchange.getRequestMethod().equals("PUT")) {
                uploads.put(hash, new Upload(exchange.getRequestHeaders().getFirst("Content-MD5"),
                        awsChunkedPayload(exchange.getRequestBody().readAllBytes())));
            }
            exchange.getResponseHeaders().add("Content-Length", "0");
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    /**
     * The SDK streams uploads as signed aws-chunked frames ({@code <hex size>;chunk-signature=...
     * CRLF data CRLF}, ending with a zero-size frame); S3 checks Content-MD5 against the payload
     * inside them.
     */
    private static byte[] awsChunkedPayload(byte[] body) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOfCrlf(body, at);
            String header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
            int size = Integer.parseInt(header.substring(0, header.indexOf(';')), 16);
            if (size == 0) {
                return payload.toByteArray();
            }
            payload.write(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalArgumentException("no CRLF after offset " + from + " in an aws-chunked body");
    }

    private S3Tier openTier() {
        URI endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        RemoteConfig remote = new RemoteConfig("scripted", RemoteType.S3, "bucket", "us-east-1", "", null, endpoint);
        return S3Tier.open(remote, HashAlgorithm.BLAKE3, CompressionPolicy.defaults(), root, 1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access-key", "test-secret-key")));
    }

    private Digest scripted(String content, int... statuses) {
        Digest digest = HashAlgorithm.BLAKE3.digest(content.getBytes());
        statusesByBlob.put(digest.hash(), statuses);
        return digest;
    }

    @Test
    void serverErrorsAndThrottlingAreRetriedUntilAnAnswerComes() throws IOException {
        Digest flaky = scripted("flaky", 503, 500, 200);
        try (S3Tier tier = openTier()) {
            assertThat(tier.blobs().contains(flaky)).isTrue();
        }
        assertThat(requestsByBlob.get(flaky.hash())).hasValue(3);
    }

    @Test
    void clientErrorsFailAtOnceNamingBucketKeyAndStatus() {
        Digest denied = scripted("denied", 403);
        try (S3Tier tier = openTier()) {
            assertThatThrownBy(() -> tier.blobs().contains(denied))
                    .isInstanceOf(S3RequestException.class)
                    .hasMessageContaining("HEAD s3://bucket/cas/blobs/blake3/" + denied.shardPrefix() + "/" + denied.hash())
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining("credentials");
        }
        assertThat(requestsByBlob.get(denied.hash())).hasValue(1);
    }

    @Test
    void serverThatKeepsFailingGivesUpAfterTheLastAttempt() {
        Digest down = scripted("down", 503);
        try (S3Tier tier = openTier()) {
            assertThatThrownBy(() -> tier.blobs().contains(down))
                    .isInstanceOf(S3RequestException.class)
                    .hasMessageContaining("HTTP 503");
        }
        assertThat(requestsByBlob.get(down.hash())).hasValue(3);
    }

    @Test
    void uploadCarriesTheMd5OfTheStoredBytesForTheServerToCheck() throws Exception {
        byte[] content = BlobStoreContract.text(200_000, 1);
        Digest digest = HashAlgorithm.BLAKE3.digest(content);
        statusesByBlob.put(digest.hash(), new int[] {404, 200});
        try (S3Tier tier = openTier()) {
            assertThat(tier.blobs().put(digest, new ByteArrayInputStream(content))).isTrue();
        }
        Upload upload = uploads.get(digest.hash());
        assertThat(upload.body()).as("stored compressed").hasSizeLessThan(content.length / 2);
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(upload.body()));
        assertThat(upload.contentMd5()).isEqualTo(md5);
    }
}
