package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.engine.manifest.ActionResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 in the middle of a gc sweep, then the same command again: it resumes, and the cache is consistent. */
class KilledGcTest {

    @TempDir
    Path tmp;

    @Test
    void killedGcResumesAndLeavesIndexAndFilesInAgreementAndLiveManifestsWhole() throws Exception {
        Path cache = tmp.resolve("cache");
        Path live = Trees.sample(tmp.resolve("live"));
        assertThat(CliRun.of("ingest", "--cache", cache.toString(), "--key", "live", "--dir", live.toString())
                .exitCode()).isZero();
        Path garbage = Trees.large(tmp.resolve("garbage"), 12_000, 64);
        assertThat(CliRun.of("ingest", "--cache", cache.toString(), "--key", "garbage", "--dir", garbage.toString())
                .exitCode()).isZero();
        List<Path> watched;
        try (LocalCache opened = open(cache)) {
            ActionResult manifest = opened.actions().get("garbage").orElseThrow();
            watched = manifest.referencedBlobs().stream()
                    .map(opened.blobs().files()::pathOf).toList();
        }
        Files.delete(cache.resolve("ac/garbage.json"));
        List<String> args = List.of("gc", "--cache", cache.toString(), "--grace", "0");

        Process first = CliProcess.start(tmp.resolve("first.log"), args);
        while (first.isAlive() && watched.stream().allMatch(Files::exists)) {
            Thread.sleep(2);
        }
        first.destroyForcibly(); // SIGKILL in the middle of the sweep
        first.waitFor(30, TimeUnit.SECONDS);
        assertThat(watched.stream().filter(Files::exists).count()).as("killed before the sweep was done").isPositive();

        CliRun second = CliRun.of(args.toArray(String[]::new));
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.err()).contains("was interrupted; resuming it");
        assertThat(second.out()).startsWith("gc: swept ");

        try (LocalCache opened = open(cache)) {
            assertThat(watched).noneMatch(Files::exists);
            ActionResult manifest = opened.actions().get("live").orElseThrow();
            assertThat(opened.index().totals().blobCount()).isEqualTo(manifest.referencedBlobs().size());
            try (Stream<?> files = opened.blobs().list()) {
                assertThat(files.count()).isEqualTo(manifest.referencedBlobs().size());
            }
        }
        CliRun restore = CliRun.of("restore", "--cache", cache.toString(), "--key", "live", "--dir",
                tmp.resolve("restored").toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(CacheFixtures.describeTree(tmp.resolve("restored"))).isEqualTo(CacheFixtures.describeTree(live));
    }

    private static LocalCache open(Path cache) throws java.io.IOException {
        return LocalCache.open(ConfigLoader.defaults().withLocalPath(cache), System.getenv());
    }
}
