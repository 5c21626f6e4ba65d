package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;
import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.engine.manifest.ActionResult;
import dev.bakecache.engine.manifest.OutputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 in the middle of an ingest, then the same command again: it resumes and completes. */
class KilledIngestTest {

    @TempDir
    Path tmp;

    @Test
    void killedIngestResumesAndItsManifestNamesOnlyStoredBlobs() throws Exception {
        Path outputs = Trees.large(tmp.resolve("outputs"), 2500, 64 * 1024);
        Path cache = tmp.resolve("cache");
        List<String> args = List.of("ingest", "--cache", cache.toString(), "--key", "big", "--dir", outputs.toString());

        Process first = CliProcess.start(tmp.resolve("first.log"), args);
        Path statDir = cache.resolve("state/ingest");
        while (first.isAlive() && !hasCheckpoint(statDir)) {
            Thread.sleep(2);
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        first.waitFor(30, TimeUnit.SECONDS);
        assertThat(cache.resolve("ac/big.json")).as("killed before the manifest was written").doesNotExist();

        CliRun second = CliRun.of(args.toArray(String[]::new));
        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.err()).contains("was interrupted; resuming it");
        assertThat(second.out()).startsWith("ingested big: 2500 files");

        try (LocalCache opened = LocalCache.open(ConfigLoader.defaults().withLocalPath(cache), System.getenv())) {
            ActionResult manifest = opened.actions().get("big").orElseThrow();
            assertThat(manifest.outputFiles()).hasSize(2500);
            for (OutputFile file : manifest.outputFiles()) {
                try (InputStream in = opened.blobs().get(file.digest())) {
                    in.transferTo(OutputStream.nullOutputStream()); // verifies the hash at the end
                }
            }
        }
        CliRun restore = CliRun.of("restore", "--cache", cache.toString(), "--key", "big", "--dir",
                tmp.resolve("restored").toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(CacheFixtures.describeTree(tmp.resolve("restored"))).isEqualTo(CacheFixtures.describeTree(outputs));
    }

    private static boolean hasCheckpoint(Path statDir) throws Exception {
        if (!Files.isDirectory(statDir)) {
            return false;
        }
        try (Stream<Path> files = Files.list(statDir)) {
            return files.anyMatch(p -> p.toString().endsWith(".bin"));
        }
    }
}
