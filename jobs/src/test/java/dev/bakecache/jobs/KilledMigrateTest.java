package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 in the middle of a migration, then the same command again: it resumes with the next archive. */
class KilledMigrateTest {

    static final int ARCHIVES = 150;

    @TempDir
    Path tmp;

    @Test
    void killedMigrationResumesAfterTheLastArchiveDoneAndEndsWithEveryKeyMigrated() throws Exception {
        Path legacy = tmp.resolve("legacy");
        Random random = new Random(11);
        byte[] content = new byte[16 * 1024];
        for (int r = 0; r < ARCHIVES; r++) {
            Path outputs = tmp.resolve("outputs").resolve("r" + r);
            Files.createDirectories(outputs);
            for (int f = 0; f < 8; f++) {
                random.nextBytes(content);
                Files.write(outputs.resolve("f" + f + ".bin"), content);
            }
            MigrateCliTest.legacyArchive(outputs, legacy, String.format("recipe-%03d", r));
        }
        Path cache = tmp.resolve("cache");
        List<String> args = List.of("migrate", "--cache", cache.toString(), "--legacy", legacy.toString());

        Process first = CliProcess.start(tmp.resolve("first.log"), args);
        Path ledger = cache.resolve("state/migrate");
        while (first.isAlive() && count(ledger) < 3) {
            Thread.sleep(2);
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        first.waitFor(30, TimeUnit.SECONDS);
        assertThat(count(ledger)).as("killed before the end").isLessThan(ARCHIVES);

        CliRun second = CliRun.of(args.toArray(String[]::new));
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.err()).contains("was interrupted; resuming it");
        Matcher summary = Pattern.compile("migrated (\\d+) of " + ARCHIVES + " archives from .* \\((\\d+) skipped, 0 rejected\\)")
                .matcher(second.out());
        assertThat(summary.find()).as(second.out()).isTrue();
        assertThat(Integer.parseInt(summary.group(2))).as("at most the archive in flight is met again").isLessThanOrEqualTo(1);
        assertThat(count(cache.resolve("ac"))).isEqualTo(ARCHIVES);

        CliRun restore = CliRun.of("restore", "--cache", cache.toString(), "--key", "recipe-100", "--dir",
                tmp.resolve("restored").toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(CacheFixtures.describeTree(tmp.resolve("restored"))).isEqualTo(CacheFixtures.describeTree(tmp.resolve("outputs/r100")));
    }

    private static long count(Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.count();
        }
    }
}
