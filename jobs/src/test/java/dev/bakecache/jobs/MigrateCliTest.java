package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code migrate} end to end on archives made the way the legacy cache made them
 * ({@code tar --zstd} of a recipe's outputs), in-process on the embedded job repository.
 */
class MigrateCliTest {

    @TempDir
    Path tmp;

    private String cache() {
        return tmp.resolve("cache").toString();
    }

    /** {@code <legacy>/<key>.tar.zst} of {@code outputs}, written by GNU tar and the zstd tool. */
    static Path legacyArchive(Path outputs, Path legacy, String key) throws IOException, InterruptedException {
        Files.createDirectories(legacy);
        Path archive = legacy.resolve(key + ".tar.zst");
        Process tar = new ProcessBuilder("tar", "--zstd", "-C", outputs.toString(), "-cf", archive.toString(), ".")
                .redirectErrorStream(true).start();
        String output = new String(tar.getInputStream().readAllBytes());
        assertThat(tar.waitFor()).as("tar: " + output).isZero();
        return archive;
    }

    @Test
    void migratedArchivesRestoreIdenticallyAndARejectedOneExitsFiveWithItsReason() throws Exception {
        Path legacy = tmp.resolve("legacy");
        Path app = Trees.sample(tmp.resolve("outputs/app"));
        Path lib = Trees.sample(tmp.resolve("outputs/lib"));
        Files.writeString(lib.resolve("dist/lib-only.js"), "export const lib = true;\n");
        legacyArchive(app, legacy, "app");
        legacyArchive(lib, legacy, "lib");
        byte[] garbage = new byte[4096];
        new Random(5).nextBytes(garbage);
        Files.write(legacy.resolve("broken.tar.zst"), garbage);

        CliRun migrate = CliRun.of("migrate", "--cache", cache(), "--legacy", legacy.toString());
        assertThat(migrate.exitCode()).as(migrate.toString()).isEqualTo(5);
        assertThat(migrate.out()).startsWith("migrated 2 of 3 archives from " + legacy + " (0 skipped, 1 rejected): 45 files")
                .contains("\nrejected broken.tar.zst: corrupt or truncated zstd data");

        Path restored = tmp.resolve("restored");
        CliRun restore = CliRun.of("restore", "--cache", cache(), "--key", "lib", "--dir", restored.toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(CacheFixtures.describeTree(restored)).isEqualTo(CacheFixtures.describeTree(lib));

        CliRun again = CliRun.of("migrate", "--cache", cache(), "--legacy", legacy.toString());
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(5);
        assertThat(again.out()).startsWith("migrated 0 of 3 archives from " + legacy + " (2 skipped, 1 rejected)");

        Files.delete(legacy.resolve("broken.tar.zst"));
        CliRun delete = CliRun.of("migrate", "--cache", cache(), "--legacy", legacy.toString(), "--delete-after-verify");
        assertThat(delete.exitCode()).as(delete.toString()).isZero();
        assertThat(delete.out()).contains("(0 skipped, 0 rejected, 2 deleted after verification)");
        assertThat(legacy).isEmptyDirectory();
    }

    @Test
    void migrateOfAFolderThatIsNotThereExitsTwo() {
        CliRun missing = CliRun.of("migrate", "--cache", cache(), "--legacy", tmp.resolve("nope").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).contains("--legacy: ", "is not a directory");
    }
}
