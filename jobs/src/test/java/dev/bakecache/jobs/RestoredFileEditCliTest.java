package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.hash.HashAlgorithm;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15, item 5, as the field met it: on one cache, each command its own process, a restored
 * file edited in place (root writes through any mode), then restores into a fresh and into the
 * edited target; and a byte rotted in a raw blob file, which no restore may hand out.
 */
class RestoredFileEditCliTest {

    /** Incompressible and not executable: its blob is stored raw, the kind hard links were made of. */
    private static final String RAW_FILE = "dist/app.wasm";

    @TempDir
    Path tmp;

    private int runs;

    /** One CLI process to its end: exit code and everything it printed. */
    private CliRun cli(String... args) throws IOException, InterruptedException {
        Path log = tmp.resolve("run-" + ++runs + ".log");
        Process process = CliProcess.start(log, List.of(args));
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", args) + " finished").isTrue();
        return new CliRun(process.exitValue(), Files.readString(log), "");
    }

    private CliRun restore(Path cache, Path target) throws IOException, InterruptedException {
        return cli("restore", "--cache", cache.toString(), "--key", "web", "--dir", target.toString());
    }

    /** Overwrites bytes through the file's own inode, keeping its size: no new file, no rename. */
    private static void writeInPlace(Path file, long at, byte[] bytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(bytes), at);
        }
    }

    private static byte[] inverted(byte[] bytes) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) ~out[i];
        }
        return out;
    }

    @Test
    void anEditOfARestoredFileNeverReachesLaterRestoresAndARottenBlobIsRefused() throws Exception {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        Map<String, String> original = CacheFixtures.describeTree(outputs);
        byte[] rawContent = Files.readAllBytes(outputs.resolve(RAW_FILE));
        Path cache = tmp.resolve("cache");
        CliRun ingest = cli("ingest", "--cache", cache.toString(), "--key", "web", "--dir", outputs.toString());
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();

        Path r1 = tmp.resolve("r1");
        CliRun first = restore(cache, r1);
        assertThat(first.exitCode()).as(first.toString()).isZero();
        Path edited = r1.resolve(RAW_FILE);
        writeInPlace(edited, 0, inverted(Arrays.copyOf(rawContent, 16)));
        assertThat(Files.size(edited)).isEqualTo(rawContent.length);
        assertThat(Files.readAllBytes(edited)).isNotEqualTo(rawContent);

        Path r2 = tmp.resolve("r2");
        CliRun fresh = restore(cache, r2);
        assertThat(fresh.exitCode()).as(fresh.toString()).isZero();
        assertThat(CacheFixtures.describeTree(r2)).as("a fresh restore after the edit").isEqualTo(original);

        CliRun again = restore(cache, r1);
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).as("only the edited file").contains("(1 written, ");
        assertThat(CacheFixtures.describeTree(r1)).as("the edited target, restored again").isEqualTo(original);

        String hash = HashAlgorithm.BLAKE3.digest(rawContent).hash();
        Path blob = cache.resolve("cas/blobs/blake3").resolve(hash.substring(0, 2)).resolve(hash);
        assertThat(blob).as("stored raw").hasBinaryContent(rawContent);
        writeInPlace(blob, rawContent.length / 2, inverted(new byte[] {rawContent[rawContent.length / 2]}));

        Path r3 = tmp.resolve("r3");
        CliRun rotten = restore(cache, r3);
        assertThat(rotten.exitCode()).as(rotten.toString()).isNotZero();
        assertThat(rotten.out()).contains(hash).contains("does not match its digest");
        assertThat(r3.resolve(RAW_FILE)).doesNotExist();
        assertThat(filesUnder(r3)).noneMatch(p -> p.getFileName().toString().startsWith(".app.wasm"));
    }

    private static List<Path> filesUnder(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).toList();
        }
    }
}
