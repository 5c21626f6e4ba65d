package dev.bakecache.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code verify} from the command line: exit 0 on a sound cache, 6 with each finding listed. */
class VerifyCliTest {

    @TempDir
    Path tmp;

    private String cache() {
        return tmp.resolve("cache").toString();
    }

    /** The stored blob with the smallest hash: the first one verify reaches. */
    static Path firstBlob(Path cache) throws IOException {
        try (Stream<Path> files = Files.walk(cache.resolve("cas/blobs/blake3"))) {
            return files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
    }

    static void flipAByte(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer one = java.nio.ByteBuffer.allocate(1);
            channel.read(one, 0);
            one.put(0, (byte) (one.get(0) ^ 0x01)).rewind();
            channel.write(one, 0);
        }
    }

    @Test
    void verifyExitsZeroOnASoundCacheAndSixNamingWhatItFoundCorrupt() throws IOException {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        CliRun.of("ingest", "--cache", cache(), "--key", "web", "--dir", outputs.toString());

        CliRun sound = CliRun.of("verify", "--cache", cache());
        assertThat(sound.exitCode()).as(sound.toString()).isZero();
        assertThat(sound.out()).startsWith("verified 22 blobs and chunks").contains("1 manifest").contains("no problems found");

        Path blob = firstBlob(tmp.resolve("cache"));
        flipAByte(blob);
        String hash = blob.getFileName().toString();
        CliRun corrupt = CliRun.of("verify", "--cache", cache());
        assertThat(corrupt.exitCode()).as(corrupt.toString()).isEqualTo(6);
        assertThat(corrupt.out()).contains("1 corrupt blob, 1 incomplete manifest")
                .contains("corrupt blob " + hash + ": content hashes to ")
                .contains("moved to " + tmp.resolve("cache/quarantine/blobs/" + hash))
                .contains("incomplete manifest web: the cache lacks 1 of the blobs and chunks it names: blob " + hash);
        assertThat(blob).doesNotExist();

        CliRun restore = CliRun.of("restore", "--cache", cache(), "--key", "web", "--dir", tmp.resolve("r").toString());
        assertThat(restore.out()).as("the quarantined manifest no longer misleads restores").contains("no manifest for key 'web'");
        assertThat(restore.exitCode()).isEqualTo(7);
        CliRun again = CliRun.of("verify", "--cache", cache(), "--sample", "50%");
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("50.0% sample");
    }

    @Test
    void aSampleThatIsNoPercentageIsABadOption() {
        CliRun run = CliRun.of("verify", "--cache", cache(), "--sample", "lots");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--sample").contains("'lots' is not a percentage");
    }

    @Test
    void partitionsEachVerifyTheirShareAndTogetherEverything() throws IOException {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        CliRun.of("ingest", "--cache", cache(), "--key", "web", "--dir", outputs.toString());

        long blobs = 0;
        long manifests = 0;
        for (String partition : List.of("0/3", "1/3", "2/3")) {
            CliRun share = CliRun.of("verify", "--cache", cache(), "--partition", partition);
            assertThat(share.exitCode()).as(share.toString()).isZero();
            java.util.regex.Matcher counts = java.util.regex.Pattern
                    .compile("verified (\\d+) blobs and chunks .* and (\\d+) manifests? ").matcher(share.out());
            assertThat(counts.find()).as(share.out()).isTrue();
            assertThat(Long.parseLong(counts.group(1))).as(partition).isLessThan(22);
            blobs += Long.parseLong(counts.group(1));
            manifests += Long.parseLong(counts.group(2));
        }
        assertThat(blobs).isEqualTo(22);
        assertThat(manifests).isEqualTo(1);
    }

    @Test
    void partitionsFromAnIndexedJobNeedTheCompletionIndex() {
        CliRun run = CliRun.of("verify", "--cache", cache(), "--partitions", "4");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("--partitions needs $JOB_COMPLETION_INDEX");
    }
}
