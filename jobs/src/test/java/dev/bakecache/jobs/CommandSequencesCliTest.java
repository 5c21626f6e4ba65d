package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.jobs.CliProcess.Finished;
import dev.bakecache.jobs.launch.ExitCodes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Different commands one after another, and side by side, as separate processes on one cache:
 * how CI machines and operators use it. A run is resumed only by its own command; a miss, a
 * failure or a killed run of one key changes nothing for another; jobs of different keys run at
 * once without waiting for each other.
 */
class CommandSequencesCliTest {

    private static final String OTHER_SECRET = "another-secret-0123456789abcdef";

    @TempDir
    Path tmp;

    private final AtomicInteger runs = new AtomicInteger();

    @Test
    void failedRestoreIsResumedOnlyByItsOwnCommand() throws Exception {
        Path cache = tmp.resolve("cache");
        Path a = Trees.sample(tmp.resolve("a"));
        Path b = Trees.large(tmp.resolve("b"), 30, 1000);
        assertThat(cli("ingest", "--cache", cache, "--key", "A", "--dir", a).code()).isZero();
        assertThat(cli("ingest", "--cache", cache, "--key", "B", "--dir", b).code()).isZero();

        Finished wrongSecret = cli(Map.of("BAKE_CACHE_SECRET", OTHER_SECRET),
                "restore", "--cache", cache, "--key", "A", "--dir", tmp.resolve("r1"));
        assertThat(wrongSecret.code()).as(wrongSecret.output()).isEqualTo(ExitCodes.FAILED);

        Finished other = restores(cache, "B", tmp.resolve("r2"), b);
        assertThat(other.output()).doesNotContain("resuming").contains("into " + tmp.resolve("r2"));
        assertThat(tmp.resolve("r1")).doesNotExist();

        restores(cache, "A", tmp.resolve("r1"), a);
    }

    @Test
    void missHasItsOwnExitCodeAndLeavesNothingForTheNextRestore() throws Exception {
        Path cache = tmp.resolve("cache");
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        assertThat(cli("ingest", "--cache", cache, "--key", "docs", "--dir", outputs).code()).isZero();

        Finished miss = cli("restore", "--cache", cache, "--key", "later", "--dir", tmp.resolve("later"));
        assertThat(miss.code()).as(miss.output()).isEqualTo(ExitCodes.CACHE_MISS);
        assertThat(miss.output()).contains("cache miss: no manifest for key 'later'")
                .doesNotContain("run the same command again");
        assertThat(tmp.resolve("later")).doesNotExist();

        restores(cache, "docs", tmp.resolve("docs"), outputs);

        Finished missAgain = cli("restore", "--cache", cache, "--key", "later", "--dir", tmp.resolve("later"));
        assertThat(missAgain.code()).as(missAgain.output()).isEqualTo(ExitCodes.CACHE_MISS);

        assertThat(cli("ingest", "--cache", cache, "--key", "later", "--dir", outputs).code()).isZero();
        restores(cache, "later", tmp.resolve("later"), outputs);
    }

    @Test
    void killedIngestIsNotResumedByAnIngestOfAnotherKey() throws Exception {
        Path cache = tmp.resolve("cache");
        Path big = Trees.large(tmp.resolve("big"), 2500, 64 * 1024);
        Path docs = Trees.sample(tmp.resolve("docs"));
        Process killed = start("ingest", "--cache", cache, "--key", "T", "--dir", big);
        awaitIngestCheckpoint(killed, cache);
        killed.destroyForcibly(); // SIGKILL
        killed.waitFor(30, TimeUnit.SECONDS);

        Finished other = cli("ingest", "--cache", cache, "--key", "D", "--dir", docs);
        assertThat(other.code()).as(other.output()).isZero();
        assertThat(other.output()).doesNotContain("resuming").contains("ingested D:");
        assertThat(cache.resolve("ac/D.json")).exists();
        assertThat(cache.resolve("ac/T.json")).doesNotExist();

        Finished resumed = cli("ingest", "--cache", cache, "--key", "T", "--dir", big);
        assertThat(resumed.code()).as(resumed.output()).isZero();
        assertThat(resumed.output()).contains("was interrupted; resuming it").contains("ingested T: 2500 files");
        restores(cache, "T", tmp.resolve("r-T"), big);
        restores(cache, "D", tmp.resolve("r-D"), docs);
    }

    @Test
    void killedRestoreIsNotResumedByARestoreOfAnotherKey() throws Exception {
        Path cache = tmp.resolve("cache");
        Path big = Trees.large(tmp.resolve("big"), 2500, 64 * 1024);
        Path docs = Trees.sample(tmp.resolve("docs"));
        assertThat(cli("ingest", "--cache", cache, "--key", "big", "--dir", big).code()).isZero();
        assertThat(cli("ingest", "--cache", cache, "--key", "docs", "--dir", docs).code()).isZero();

        Path target = tmp.resolve("r-big");
        Process killed = start("restore", "--cache", cache, "--key", "big", "--dir", target);
        awaitFiles(killed, target, 200);
        killed.destroyForcibly(); // SIGKILL
        killed.waitFor(30, TimeUnit.SECONDS);

        Finished other = restores(cache, "docs", tmp.resolve("r-docs"), docs);
        assertThat(other.output()).doesNotContain("resuming").contains("into " + tmp.resolve("r-docs"));

        Finished resumed = restores(cache, "big", target, big);
        assertThat(resumed.output()).contains("was interrupted; resuming it");
    }

    /**
     * A paused ingest is one that takes as long as the test likes: while it is in its step, an
     * ingest and a restore of other keys and a verify of the whole cache complete on their own.
     */
    @Test
    void jobsOfOtherKeysRunWhileAnIngestIsPausedMidRun() throws Exception {
        Path cache = tmp.resolve("cache");
        Path big = Trees.large(tmp.resolve("big"), 2500, 64 * 1024);
        Path docs = Trees.sample(tmp.resolve("docs"));
        Path more = Trees.large(tmp.resolve("more"), 40, 3000);
        assertThat(cli("ingest", "--cache", cache, "--key", "docs", "--dir", docs).code()).isZero();

        Process paused = start("ingest", "--cache", cache, "--key", "big", "--dir", big);
        Path pausedLog = tmp.resolve("run-" + runs.get() + ".log");
        awaitIngestCheckpoint(paused, cache);
        signal("STOP", paused);
        try {
            Finished ingest = cli("ingest", "--cache", cache, "--key", "more", "--dir", more);
            assertThat(ingest.code()).as(ingest.output()).isZero();
            assertThat(ingest.output()).doesNotContain("resuming").contains("ingested more:");
            restores(cache, "docs", tmp.resolve("r-docs"), docs);
            Finished verify = cli("verify", "--cache", cache);
            assertThat(verify.code()).as(verify.output()).isZero();
        } finally {
            signal("CONT", paused);
        }
        assertThat(paused.waitFor(5, TimeUnit.MINUTES)).isTrue();
        assertThat(paused.exitValue()).as(Files.readString(pausedLog)).isZero();

        restores(cache, "big", tmp.resolve("r-big"), big);
        restores(cache, "more", tmp.resolve("r-more"), more);
    }

    @Test
    void reIngestAfterTheSecretChangedSignsTheManifestAnew() throws Exception {
        Path cache = tmp.resolve("cache");
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        assertThat(cli("ingest", "--cache", cache, "--key", "docs", "--dir", outputs).code()).isZero();

        Map<String, String> rotated = Map.of("BAKE_CACHE_SECRET", OTHER_SECRET);
        Finished reIngest = cli(rotated, "ingest", "--cache", cache, "--key", "docs", "--dir", outputs);
        assertThat(reIngest.code()).as(reIngest.output()).isZero();

        Finished restore = cli(rotated, "restore", "--cache", cache, "--key", "docs", "--dir", tmp.resolve("r"));
        assertThat(restore.code()).as(restore.output()).isZero();
        assertThat(CacheFixtures.describeTree(tmp.resolve("r"))).isEqualTo(CacheFixtures.describeTree(outputs));
    }

    /** A restore of {@code key} into {@code target} that exits 0 and leaves it as {@code expected}. */
    private Finished restores(Path cache, String key, Path target, Path expected) throws Exception {
        Finished restore = cli("restore", "--cache", cache, "--key", key, "--dir", target);
        assertThat(restore.code()).as(restore.output()).isZero();
        assertThat(CacheFixtures.describeTree(target)).isEqualTo(CacheFixtures.describeTree(expected));
        return restore;
    }

    private Finished cli(Object... args) throws Exception {
        return cli(Map.of(), args);
    }

    private Finished cli(Map<String, String> env, Object... args) throws Exception {
        Path log = tmp.resolve("run-" + runs.incrementAndGet() + ".log");
        return CliProcess.run(null, log, env, Stream.of(args).map(Object::toString).toList());
    }

    private Process start(Object... args) throws IOException {
        int run = runs.incrementAndGet();
        return CliProcess.start(tmp.resolve("run-" + run + ".log"), Stream.of(args).map(Object::toString).toList());
    }

    /** Until the ingest has stored files and saved its progress: it is inside its step, mid-run. */
    private static void awaitIngestCheckpoint(Process ingest, Path cache) throws Exception {
        Path statDir = cache.resolve("state/ingest");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (ingest.isAlive() && System.nanoTime() < deadline) {
            if (Files.isDirectory(statDir)) {
                try (Stream<Path> files = Files.list(statDir)) {
                    if (files.anyMatch(p -> p.toString().endsWith(".bin"))) {
                        return;
                    }
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the ingest ended or took too long before its first checkpoint");
    }

    /** Until the restore has put at least {@code count} files into {@code target}. */
    private static void awaitFiles(Process restore, Path target, int count) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (restore.isAlive() && System.nanoTime() < deadline) {
            if (Files.isDirectory(target)) {
                try (Stream<Path> files = Files.walk(target)) {
                    if (files.filter(Files::isRegularFile).count() >= count) {
                        return;
                    }
                } catch (UncheckedIOException renamedWhileListed) {
                    // a temporary file went into place under the walk: look again
                }
            }
            Thread.sleep(2);
        }
        throw new AssertionError("the restore ended or took too long before it wrote " + count + " files");
    }

    private static void signal(String signal, Process process) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
        assertThat(kill.waitFor()).isZero();
    }
}
