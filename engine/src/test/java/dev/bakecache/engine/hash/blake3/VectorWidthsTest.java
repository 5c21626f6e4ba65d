package dev.bakecache.engine.hash.blake3;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The paths this machine's own JVM does not take: narrower vectors (AVX2's 8 lanes, SSE's 4,
 * which gather instead of transposing) and a JVM without the Vector API, where the engine falls
 * back to BouncyCastle and says so once.
 */
class VectorWidthsTest {

    /** Partial lane groups, subtrees of every size up to the cap, and a stack several levels deep. */
    private static final int[] LENGTHS = {0, 1, 1024, 1025, 2048, 3 * 1024 + 5, 5 * 1024 + 1, 31744, 102400,
            256 * 1024 + 7, 1024 * 1024 + 1};

    @ParameterizedTest(name = "MaxVectorSize={0} bytes")
    @ValueSource(ints = {16, 32})
    void narrowerVectorsHashTheSame(int maxVectorBytes) throws Exception {
        List<String> output = run(List.of("--add-modules", "jdk.incubator.vector", "-XX:MaxVectorSize=" + maxVectorBytes));
        assertThat(output).contains("vector-api true");
        assertThat(hashes(output)).isEqualTo(expected());
    }

    @Test
    void withoutTheVectorApiBouncyCastleHashesAndThatIsLoggedOnce() throws Exception {
        List<String> output = run(List.of());
        assertThat(output).contains("vector-api false");
        assertThat(hashes(output)).isEqualTo(expected());
        assertThat(output.stream().filter(line -> line.contains("jdk.incubator.vector is not loaded"))).hasSize(1);
    }

    static byte[] officialInput(int length) {
        byte[] input = new byte[length];
        for (int i = 0; i < length; i++) {
            input[i] = (byte) (i % 251);
        }
        return input;
    }

    private static List<String> run(List<String> jvmFlags) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmFlags);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), HashesInChildJvm.class.getName()));
        IntStream.of(LENGTHS).mapToObj(Integer::toString).forEach(command::add);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isZero();
        return output.lines().toList();
    }

    private static List<String> hashes(List<String> output) {
        return output.stream().filter(line -> line.startsWith("hash ")).toList();
    }

    private static List<String> expected() {
        return IntStream.of(LENGTHS).mapToObj(length -> "hash " + length + " " + Blake3Reference.bouncyCastle(officialInput(length))).toList();
    }
}
