package dev.bakecache.engine.remote;

import dev.bakecache.engine.compress.CompressionPolicy;
import dev.bakecache.engine.config.RemoteConfig;
import dev.bakecache.engine.config.RemoteType;
import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import dev.bakecache.engine.store.BlobStoreContract;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The wire contract over S3's REST API, plus what S3 uploads carry: the Content-MD5 the server
 * verifies them with.
 */
class S3WireTest extends BucketWireContract {

    private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

    private record Upload(String contentMd5, byte[] body) {
    }

    @Override
    protected ScriptedServer.Responder responder() {
        return (exchange, hash, status) -> {
            if (exchange.getRequestMethod().equals("PUT")) {
                uploads.put(hash, new Upload(exchange.getRequestHeaders().getFirst("Content-MD5"),
                        awsChunkedPayload(exchange.getRequestBody().readAllBytes())));
            }
            return new byte[0];
        };
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

    @Override
    protected BucketTier openTier() {
        RemoteConfig remote = new RemoteConfig("scripted", RemoteType.S3, "bucket", "us-east-1", "", null,
                server.endpoint());
        return S3Tier.open(remote, HashAlgorithm.BLAKE3, CompressionPolicy.defaults(), root, 1,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test-access-key", "test-secret-key")));
    }

    @Test
    void uploadCarriesTheMd5OfTheStoredBytesForTheServerToCheck() throws Exception {
        byte[] content = BlobStoreContract.text(200_000, 1);
        Digest digest = HashAlgorithm.BLAKE3.digest(content);
        server.script(digest.hash(), 404, 200);
        try (BucketTier tier = openTier()) {
            assertThat(tier.blobs().put(digest, new ByteArrayInputStream(content))).isTrue();
        }
        Upload upload = uploads.get(digest.hash());
        assertThat(upload.body()).as("stored compressed").hasSizeLessThan(content.length / 2);
        String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(upload.body()));
        assertThat(upload.contentMd5()).isEqualTo(md5);
    }
}
