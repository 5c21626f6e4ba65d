package dev.bakecache.engine.hash;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DigestTest {

    private static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    private static final String EMPTY_BLAKE3 = "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262";
    private static final String ABC_BLAKE3 = "6437b3ac38465133ffb63b75273a8db548c558465d79db03fd359c6cd5bd9d85";

    @Test
    void hashesMatchPublishedTestVectors() {
        assertThat(HashAlgorithm.SHA256.digest(new byte[0])).isEqualTo(new Digest(EMPTY_SHA256, 0));
        assertThat(HashAlgorithm.BLAKE3.digest(new byte[0])).isEqualTo(new Digest(EMPTY_BLAKE3, 0));
        assertThat(HashAlgorithm.BLAKE3.digest("abc".getBytes(StandardCharsets.US_ASCII)).hash()).isEqualTo(ABC_BLAKE3);
    }

    @Test
    void incrementalHashingEqualsOneShot() {
        byte[] data = new byte[200_000];
        new java.util.Random(7).nextBytes(data);
        for (HashAlgorithm algorithm : HashAlgorithm.values()) {
            Hasher hasher = algorithm.newHasher();
            hasher.update(data, 0, 1);
            hasher.update(java.nio.ByteBuffer.wrap(data, 1, 99_999));
            hasher.update(java.nio.ByteBuffer.allocateDirect(100_000).put(data, 100_000, 100_000).flip());
            assertThat(hasher.finish()).isEqualTo(algorithm.digest(data));
        }
    }

    @Test
    void shardPrefixIsTheFirstTwoHexCharacters() {
        assertThat(new Digest(EMPTY_BLAKE3, 0).shardPrefix()).isEqualTo("af");
    }

    @Test
    void parseRoundTripsToString() {
        Digest digest = new Digest(EMPTY_SHA256, 42);
        assertThat(Digest.parse(digest.toString())).isEqualTo(digest);
    }

    @Test
    void parseErrorsSayWhatIsWrong() {
        assertThatThrownBy(() -> Digest.parse("abc/1")).hasMessageContaining("has 3 characters, expected 64");
        assertThatThrownBy(() -> Digest.parse(EMPTY_SHA256.toUpperCase() + "/1"))
                .hasMessageContaining("expected lower-case hex");
        assertThatThrownBy(() -> Digest.parse(EMPTY_SHA256)).hasMessageContaining("<hash>/<size>");
        assertThatThrownBy(() -> Digest.parse(EMPTY_SHA256 + "/x")).hasMessageContaining("not a whole number");
        assertThatThrownBy(() -> new Digest(EMPTY_SHA256, -1)).hasMessageContaining("must not be negative");
    }

    @Test
    void algorithmNamesParseForgivinglyAndListChoicesOnError() {
        assertThat(HashAlgorithm.fromId("SHA-256")).isEqualTo(HashAlgorithm.SHA256);
        assertThat(HashAlgorithm.fromId("blake3")).isEqualTo(HashAlgorithm.BLAKE3);
        assertThatThrownBy(() -> HashAlgorithm.fromId("md5")).hasMessageContaining("blake3, sha256");
    }
}
