package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.jobs.CliProcess.Finished;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a job works is always a place the user named: an empty path (an unset shell variable,
 * {@code --dir "$OUT"}) is refused rather than taken for the working directory, and a job that
 * reads a cache refuses a root that holds none rather than creating an empty one to report on.
 * Commands run as their own processes, as from a shell, some in a working directory the test
 * fills; only refusals at parse time run in-process.
 */
class PathOptionsCliTest {

    @TempDir
    Path tmp;

    private final AtomicInteger runs = new AtomicInteger();

    /** An empty cache at {@code root}, made as the engine makes one for a first ingest: what the reading jobs accept. */
    static Path emptyCache(Path root) throws IOException {
        LocalCache.open(ConfigLoader.defaults().withLocalPath(root), System.getenv()).close();
        return root;
    }

    private Finished cli(Path workDir, Object... args) throws Exception {
        Path log = tmp.resolve("run-" + runs.incrementAndGet() + ".log");
        return CliProcess.run(workDir, log, Stream.of(args).map(Object::toString).toArray(String[]::new));
    }

    /** A directory whose entries collide with the sample tree's: a file where it has a directory and the reverse. */
    private Path workDirLikeTheSample() throws IOException {
        Path work = tmp.resolve("work");
        Files.createDirectories(work.resolve("bin/start"));
        Files.writeString(work.resolve("bin/start/keep.txt"), "a directory where the manifest has a file\n");
        Files.createDirectories(work.resolve("dist"));
        Files.writeString(work.resolve("dist/js"), "a file where the manifest has a directory\n");
        Files.writeString(work.resolve("dist/app.wasm"), "not the cached bytes\n");
        Files.writeString(work.resolve("empty"), "a file where the manifest has an empty directory\n");
        Files.writeString(work.resolve("notes.txt"), "nothing the manifest names\n");
        return work;
    }

    @Test
    void restoreWithAnEmptyDirIsRefusedAndTouchesNothing() throws Exception {
        Path cache = tmp.resolve("cache");
        Finished ingest = cli(tmp, "ingest", "--cache", cache, "--key", "web", "--dir", Trees.sample(tmp.resolve("outputs")));
        assertThat(ingest.code()).as(ingest.output()).isZero();
        Path work = workDirLikeTheSample();
        Map<String, String> before = CacheFixtures.describeTree(work);

        Finished restore = cli(work, "restore", "--cache", cache, "--key", "web", "--dir", "");

        assertThat(restore.code()).as(restore.output()).isEqualTo(2);
        assertThat(restore.output()).contains("'--dir': empty path (an unset shell variable?)");
        assertThat(CacheFixtures.describeTree(work)).isEqualTo(before);
    }

    @Test
    void ingestWithAnEmptyDirIsRefused() throws Exception {
        Path work = workDirLikeTheSample();
        Map<String, String> before = CacheFixtures.describeTree(work);
        Path cache = tmp.resolve("cache");

        Finished emptyDir = cli(work, "ingest", "--cache", cache, "--key", "web", "--dir", "");
        assertThat(emptyDir.code()).as(emptyDir.output()).isEqualTo(2);
        assertThat(emptyDir.output()).contains("'--dir': empty path");
        Finished blankRoot = cli(work, "ingest", "--cache", cache, "--root", " ");
        assertThat(blankRoot.code()).as(blankRoot.output()).isEqualTo(2);
        assertThat(blankRoot.output()).contains("'--root': empty path");
        Finished emptyCache = cli(work, "ingest", "--cache", "", "--key", "web", "--dir", Trees.sample(tmp.resolve("outputs")));
        assertThat(emptyCache.code()).as(emptyCache.output()).isEqualTo(2);
        assertThat(emptyCache.output()).contains("'--cache': empty path");

        assertThat(cache).as("no cache, so no manifest").doesNotExist();
        assertThat(CacheFixtures.describeTree(work)).as("nor a cache in the working directory").isEqualTo(before);
    }

    /** Parse-time refusals need no child process: every path option and operand of every command. */
    @Test
    void everyPathOfEveryCommandRefusesAnEmptyOrBlankValueNamingIt() {
        String cache = tmp.resolve("cache").toString();
        List<List<String>> commands = List.of(
                List.of("ingest", "--cache", cache, "--key", "k", "--dir", "''"),
                List.of("ingest", "--cache", cache, "--root", "''"),
                List.of("restore", "--cache", cache, "--key", "k", "--dir", "''"),
                List.of("migrate", "--cache", cache, "--legacy", "''"),
                List.of("stats", "--cache", cache, "--textfile", "''"),
                List.of("bench", "--out", "''"),
                List.of("verify", "--cache", "''"),
                List.of("gc", "--config", "''", "--cache", cache),
                List.of("schedule", "--cache", "''"),
                List.of("digest", tmp.toString(), "''"));
        for (List<String> command : commands) {
            String named = command.get(command.indexOf("''") - 1);
            String expected = named.startsWith("--") ? "'" + named + "': " : "FILE: ";
            for (String blank : List.of("", " ", "\t")) {
                String[] args = command.stream().map(arg -> arg.equals("''") ? blank : arg).toArray(String[]::new);
                CliRun run = CliRun.of(args);
                assertThat(run.exitCode()).as(String.join(" ", args) + "\n" + run).isEqualTo(2);
                assertThat(run.err()).as(String.join(" ", args)).contains(expected + "empty path (an unset shell variable?)");
            }
        }
        assertThat(tmp.resolve("cache")).doesNotExist();
    }

    @Test
    void verifyOfAMistypedCacheIsRefusedAndCreatesNothing() throws Exception {
        Path typo = tmp.resolve("cahce");

        Finished verify = cli(tmp, "verify", "--cache", typo);

        assertThat(verify.code()).as(verify.output()).isEqualTo(2);
        assertThat(verify.output()).contains("bake-cache: --cache " + typo + " holds no cache (no cas/ directory);"
                + " check the path, or ingest into it first").doesNotContain("no problems found");
        assertThat(typo).doesNotExist();
    }

    @Test
    void everyJobThatReadsACacheRefusesADirectoryThatHoldsNoneWhereverItWasNamedAndLeavesItAsItWas()
            throws Exception {
        Path notACache = workDirLikeTheSample();
        Map<String, String> before = CacheFixtures.describeTree(notACache);
        // a remote to replicate to, and a strategy that keeps restore from reading it
        Path config = Files.writeString(tmp.resolve("bake.yaml"), """
                cache:
                  strategy: localOnly
                  local:
                    path: %s
                  remotes:
                    - name: teamS3
                      type: s3
                      bucket: team-cache
                      region: us-east-1
                      endpoint: http://127.0.0.1:9
                """.formatted(notACache));
        List<List<String>> jobs = List.of(List.of("verify"), List.of("gc"), List.of("stats"), List.of("evict"),
                List.of("clean", "--yes"), List.of("replicate", "--to", "teamS3"),
                List.of("restore", "--key", "web", "--dir", tmp.resolve("r").toString()));

        for (List<String> job : jobs) {
            List<Object> byOption = new ArrayList<>(List.of(job.getFirst(), "--config", config, "--cache", notACache));
            byOption.addAll(job.subList(1, job.size()));
            Finished refused = cli(tmp, byOption.toArray());
            assertThat(refused.code()).as(refused.output()).isEqualTo(2);
            assertThat(refused.output()).as(job.toString())
                    .contains("bake-cache: --cache " + notACache + " holds no cache (no cas/ directory)");

            List<Object> byConfig = new ArrayList<>(List.of(job.getFirst(), "--config", config));
            byConfig.addAll(job.subList(1, job.size()));
            refused = cli(tmp, byConfig.toArray());
            assertThat(refused.code()).as(refused.output()).isEqualTo(2);
            assertThat(refused.output()).as(job.toString()).contains("bake-cache: cache.local.path " + notACache
                    + " (--config " + config + ") holds no cache (no cas/ directory)");
        }
        assertThat(CacheFixtures.describeTree(notACache)).isEqualTo(before);
        assertThat(tmp.resolve("r")).doesNotExist();
    }

    @Test
    void ingestIntoANewPathCreatesTheCacheAndTheJobsThatReadItThenWork() throws Exception {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        Path cache = tmp.resolve("new/cache");

        Finished ingest = cli(tmp, "ingest", "--cache", cache, "--key", "web", "--dir", outputs);
        assertThat(ingest.code()).as(ingest.output()).isZero();
        Finished verify = cli(tmp, "verify", "--cache", cache);
        assertThat(verify.code()).as(verify.output()).isZero();
        assertThat(verify.output()).contains("verified 22 blobs and chunks").contains("no problems found");
        Finished gc = cli(tmp, "gc", "--cache", cache);
        assertThat(gc.code()).as(gc.output()).isZero();
        Finished stats = cli(tmp, "stats", "--cache", cache);
        assertThat(stats.code()).as(stats.output()).isZero();
        assertThat(stats.output()).contains("manifests  1,");
        Finished restore = cli(tmp, "restore", "--cache", cache, "--key", "web", "--dir", tmp.resolve("restored"));
        assertThat(restore.code()).as(restore.output()).isZero();
        assertThat(CacheFixtures.describeTree(tmp.resolve("restored"))).isEqualTo(CacheFixtures.describeTree(outputs));
    }
}
