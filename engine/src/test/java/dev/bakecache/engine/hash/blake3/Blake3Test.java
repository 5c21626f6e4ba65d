package dev.bakecache.engine.hash.blake3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bakecache.engine.hash.HashAlgorithm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Our BLAKE3, vectorized and scalar, against the official test vectors, BouncyCastle and b3sum. */
class Blake3Test {

    /** Around block, chunk and subtree boundaries, and the official vectors' lengths. */
    private static final int[] LENGTHS = {0, 1, 63, 64, 65, 1023, 1024, 1025, 2048, 2049, 3072, 3073, 4096, 8193,
            16384, 31744, 102400, 256 * 1024, 256 * 1024 + 1024, 1024 * 1024 + 1};

    /** From the official test_vectors.json (unkeyed hash, first 32 bytes); input byte i is i % 251. */
    private static final Map<Integer, String> OFFICIAL = Map.of(
            0, "af1349b9f5f9a1a6a0404dea36dcc9499bcb25c9adc112b7cc9a93cae41f3262",
            1, "2d3adedff11b61f14c886e35afa036736dcd87a74d27b5c1510225d0f592e213",
            1023, "10108970eeda3eb932baac1428c7a2163b0e924c9a9e25b35bba72b28f70bd11",
            1024, "42214739f095a406f3fc83deb889744ac00df831c10daa55189b5d121c855af7",
            1025, "d00278ae47eb27b34faecf67b4fe263f82d5412916c1ffd97c8cb7fb814b8444",
            2048, "e776b6028c7cd22a4d0ba182a8bf62205d2ef576467e838ed6f2529b85fba24a",
            3072, "b98cb0ff3623be03326b373de6b9095218513e64f1ee2edd2525c7ad1e5cffd2",
            31744, "62b6960e1a44bcc1eb1a611a8d6235b6b4b78f32e7abc4fb4c6cdcce94895c47",
            102400, "bc3e3d41a1146b069abffad3c0d44860cf664390afce4d9661f7902e7943e085");

    private static final byte[] KEY = "whats the Elvish word for friend".getBytes(StandardCharsets.US_ASCII);

    static Stream<Arguments> hashers() {
        return Stream.of(
                Arguments.of("vectorized", (Supplier<Blake3>) Blake3::newHasher),
                Arguments.of("scalar", (Supplier<Blake3>) Blake3::newScalarHasher));
    }

    @Test
    void vectorApiIsPresentInTestsSoTheVectorPathIsWhatTheyCover() {
        assertThat(Blake3.vectorApiPresent()).as("surefire runs with --add-modules jdk.incubator.vector").isTrue();
        assertThat(Blake3.newHasher().vectorized()).isTrue();
        assertThat(Blake3.newScalarHasher().vectorized()).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hashers")
    void matchesTheOfficialTestVectors(String path, Supplier<Blake3> hashers) {
        OFFICIAL.forEach((length, expected) ->
                assertThat(oneShot(hashers.get(), officialInput(length))).as("length %d", length).isEqualTo(expected));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hashers")
    void matchesBouncyCastleOnEveryLength(String path, Supplier<Blake3> hashers) {
        for (int length : LENGTHS) {
            byte[] input = officialInput(length);
            assertThat(oneShot(hashers.get(), input)).as("length %d", length).isEqualTo(Blake3Reference.bouncyCastle(input));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hashers")
    void matchesBouncyCastleOnRandomLengthsAndSplits(String path, Supplier<Blake3> hashers) {
        Random random = new Random(20261125);
        for (int round = 0; round < 60; round++) {
            int length = round % 3 == 0 ? random.nextInt(5000) : random.nextInt(3 * 1024 * 1024);
            byte[] input = new byte[length];
            random.nextBytes(input);
            String expected = Blake3Reference.bouncyCastle(input);
            assertThat(oneShot(hashers.get(), input)).as("length %d", length).isEqualTo(expected);
            assertThat(inPieces(hashers.get(), input, random)).as("length %d in pieces", length).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hashers")
    void streamingInAnyPiecesEqualsOneShot(String path, Supplier<Blake3> hashers) {
        Random random = new Random(7);
        for (int length : LENGTHS) {
            byte[] input = officialInput(length);
            String expected = oneShot(hashers.get(), input);
            for (int attempt = 0; attempt < 5; attempt++) {
                assertThat(inPieces(hashers.get(), input, random)).as("length %d", length).isEqualTo(expected);
            }
            Blake3 bytewise = hashers.get();
            if (length <= 8193) {
                for (int i = 0; i < length; i++) {
                    bytewise.update(input, i, 1);
                }
                assertThat(HexFormat.of().formatHex(bytewise.finish())).as("length %d byte by byte", length).isEqualTo(expected);
            }
        }
    }

    @Test
    void keyedModeMatchesBouncyCastle() {
        Random random = new Random(3);
        for (int length : LENGTHS) {
            byte[] input = officialInput(length);
            String expected = Blake3Reference.bouncyCastle(input, KEY);
            assertThat(oneShot(Blake3.newKeyedHasher(KEY), input)).as("length %d", length).isEqualTo(expected);
            assertThat(inPieces(Blake3.newKeyedHasher(KEY), input, random)).as("length %d in pieces", length)
                    .isEqualTo(expected);
        }
    }

    @Test
    void theEngineHashesBlake3WithThisImplementation() {
        byte[] input = officialInput(102400);
        assertThat(HashAlgorithm.BLAKE3.newHasher().getClass().getSimpleName()).isEqualTo("VectorBlake3Hasher");
        assertThat(HashAlgorithm.BLAKE3.digest(input).hash()).isEqualTo(OFFICIAL.get(102400));
    }

    @Test
    void sizeCountsEveryByte() {
        Blake3 hasher = Blake3.newHasher();
        byte[] input = officialInput(5000);
        hasher.update(input, 0, 1000);
        hasher.update(input, 1000, 4000);
        hasher.finish();
        assertThat(hasher.size()).isEqualTo(5000);
    }

    @Test
    void agreesWithB3sum(@TempDir Path dir) throws IOException, InterruptedException {
        assumeTrue(Blake3Reference.onPath("b3sum"), "b3sum is not installed");
        for (int length : IntStream.concat(IntStream.of(LENGTHS), IntStream.of(64 * 1024 * 1024 + 3)).toArray()) {
            byte[] input = officialInput(length);
            Path file = Files.write(dir.resolve("input-" + length), input);
            Process b3sum = new ProcessBuilder("b3sum", "--no-names", file.toString()).start();
            String expected = new String(b3sum.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            assertThat(b3sum.waitFor()).isZero();
            assertThat(oneShot(Blake3.newHasher(), input)).as("length %d", length).isEqualTo(expected);
        }
    }

    private static String oneShot(Blake3 hasher, byte[] input) {
        hasher.update(input, 0, input.length);
        return HexFormat.of().formatHex(hasher.finish());
    }

    private static String inPieces(Blake3 hasher, byte[] input, Random random) {
        int offset = 0;
        while (offset < input.length) {
            int bound = random.nextBoolean() ? 2100 : 300_000;
            int n = Math.min(input.length - offset, random.nextInt(bound) + 1);
            hasher.update(input, offset, n);
            offset += n;
        }
        return HexFormat.of().formatHex(hasher.finish());
    }

    private static byte[] officialInput(int length) {
        byte[] input = new byte[length];
        for (int i = 0; i < length; i++) {
            input[i] = (byte) (i % 251);
        }
        return input;
    }
}
