package dev.bakecache.engine.remote;

import dev.bakecache.engine.hash.Digest;
import dev.bakecache.engine.hash.HashAlgorithm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a bucket tier's client behaves on the wire, whichever provider's, against a
 * {@link ScriptedServer}: throttling and server errors are retried with backoff, other client
 * errors are not, a missing object is no failure, and failures name bucket, key and status.
 */
abstract class BucketWireContract {

    @TempDir
    Path root;
    protected ScriptedServer server;

    /** What the scripted server sends besides the status, in the provider's protocol. */
    protected abstract ScriptedServer.Responder responder();

    /** A tier on bucket {@code bucket} with no prefix, talking to {@link #server}. */
    protected abstract BucketTier openTier();

    @BeforeEach
    void startServer() throws IOException {
        server = new ScriptedServer(responder());
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    protected Digest scripted(String content, int... statuses) {
        Digest digest = HashAlgorithm.BLAKE3.digest(content.getBytes());
        server.script(digest.hash(), statuses);
        return digest;
    }

    @Test
    void throttlingAndServerErrorsAreRetriedUntilAnAnswerComes() throws IOException {
        Digest flaky = scripted("flaky", 429, 503, 200);
        try (BucketTier tier = openTier()) {
            assertThat(tier.blobs().contains(flaky)).isTrue();
        }
        assertThat(server.requests(flaky.hash())).isEqualTo(3);
    }

    @Test
    void clientErrorsFailAtOnceNamingBucketKeyAndStatus() {
        Digest denied = scripted("denied", 403);
        try (BucketTier tier = openTier()) {
            assertThatThrownBy(() -> tier.blobs().contains(denied))
                    .isInstanceOf(ObjectRequestException.class)
                    .hasMessageContaining("HEAD " + tier.blobs().toString() + denied.shardPrefix() + "/" + denied.hash())
                    .hasMessageContaining("HTTP 403")
                    .hasMessageContaining("credentials");
        }
        assertThat(server.requests(denied.hash())).isEqualTo(1);
    }

    @Test
    void serverThatKeepsFailingGivesUpAfterTheLastAttempt() {
        Digest down = scripted("down", 503);
        try (BucketTier tier = openTier()) {
            assertThatThrownBy(() -> tier.blobs().contains(down))
                    .isInstanceOf(ObjectRequestException.class)
                    .hasMessageContaining("HTTP 503");
        }
        assertThat(server.requests(down.hash())).isEqualTo(3);
    }

    @Test
    void missingObjectIsAbsentNotAFailure() throws IOException {
        Digest missing = scripted("missing", 404);
        try (BucketTier tier = openTier()) {
            assertThat(tier.blobs().contains(missing)).isFalse();
        }
        assertThat(server.requests(missing.hash())).isEqualTo(1);
    }
}
