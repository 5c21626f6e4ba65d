package dev.bakecache.jobs.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.bakecache.engine.hash.blake3.Blake3Reference;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bake-cache digest} prints what sha256sum and b3sum print, and fails like them on a missing file. */
class DigestCommandTest {

    @TempDir
    Path tmp;

    private final List<String> files = new ArrayList<>();

    @BeforeEach
    void writeFiles() throws IOException {
        Random random = new Random(11);
        for (int size : new int[] {0, 1, 1024, 1025, 100_000, 3 * 1024 * 1024 + 17}) {
            byte[] content = new byte[size];
            random.nextBytes(content);
            files.add(Files.write(tmp.resolve("file-" + size + ".bin"), content).toString());
        }
    }

    @Test
    void sha256MatchesSha256sum() throws Exception {
        assumeTrue(Blake3Reference.onPath("sha256sum"), "sha256sum is not installed");
        Run run = Run.of(Stream.concat(Stream.of("digest", "--algo", "sha256"), files.stream()).toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(tool("sha256sum"));
    }

    @Test
    void blake3IsTheDefaultAndMatchesBouncyCastle() throws Exception {
        Run run = Run.of(Stream.concat(Stream.of("digest"), files.stream()).toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        StringBuilder expected = new StringBuilder();
        for (String file : files) {
            expected.append(Blake3Reference.bouncyCastle(Files.readAllBytes(Path.of(file)))).append("  ").append(file).append('\n');
        }
        assertThat(run.out()).isEqualTo(expected.toString());
    }

    @Test
    void blake3MatchesB3sum() throws Exception {
        assumeTrue(Blake3Reference.onPath("b3sum"), "b3sum is not installed");
        Run run = Run.of(Stream.concat(Stream.of("digest", "--algo", "blake3"), files.stream()).toArray(String[]::new));
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).isEqualTo(tool("b3sum"));
    }

    @Test
    void aMissingFileIsOneErrorLineAndExitCode1AfterTheOthers() {
        String missing = tmp.resolve("missing.bin").toString();
        Run run = Run.of("digest", files.get(1), missing, files.get(2));
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("bake-cache: " + missing + ": No such file or directory\n");
        assertThat(run.out().lines()).hasSize(2);
    }

    @Test
    void anUnknownAlgorithmIsBadUsage() {
        Run run = Run.of("digest", "--algo", "md5", files.get(0));
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--algo: unknown hash algorithm 'md5', expected one of blake3, sha256");
    }

    private String tool(String command) throws IOException, InterruptedException {
        List<String> commandLine = new ArrayList<>(List.of(command));
        commandLine.addAll(files);
        Process process = new ProcessBuilder(commandLine).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).isZero();
        return out;
    }

    private record Run(int exitCode, String out, String err) {
        static Run of(String... args) {
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = BakeCacheCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
            return new Run(code, out.toString(), err.toString());
        }
    }
}
