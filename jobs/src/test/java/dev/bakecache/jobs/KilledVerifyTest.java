package dev.bakecache.jobs;

import dev.bakecache.engine.LocalCache;
import dev.bakecache.engine.config.ConfigLoader;
import dev.bakecache.engine.store.BlobKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 in the middle of a verify, then the same command again: it resumes and loses no finding. */
class KilledVerifyTest {

    @TempDir
    Path tmp;

    @Test
    void killedVerifyResumesAndStillReportsWhatTheKilledRunQuarantined() throws Exception {
        Path outputs = Trees.large(tmp.resolve("outputs"), 2500, 64 * 1024);
        Path cache = tmp.resolve("cache");
        CliRun ingest = CliRun.of("ingest", "--cache", cache.toString(), "--key", "big", "--dir", outputs.toString());
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        Path corrupt = VerifyCliTest.firstBlob(cache);
        String hash = corrupt.getFileName().toString();
        VerifyCliTest.flipAByte(corrupt);
        List<String> args = List.of("verify", "--cache", cache.toString());

        Process first = CliProcess.start(tmp.resolve("first.log"), args);
        Path quarantined = cache.resolve("quarantine/blobs").resolve(hash);
        // the blob is quarantined once the first checkpoint holds its finding; more shards follow
        while (first.isAlive() && !Files.exists(quarantined)) {
            Thread.sleep(1);
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        first.waitFor(30, TimeUnit.SECONDS);
        assertThat(quarantined).exists();
        assertThat(cache.resolve("ac/big.json")).as("killed before the manifests were checked").exists();

        CliRun second = CliRun.of(args.toArray(String[]::new));
        assertThat(second.exitCode()).as(second.toString()).isEqualTo(6);
        assertThat(second.err()).contains("was interrupted; resuming it");
        assertThat(second.out()).startsWith("verified 2500 blobs and chunks")
                .contains("1 corrupt blob, 1 incomplete manifest").contains("corrupt blob " + hash);

        assertThat(corrupt).doesNotExist();
        assertThat(cache.resolve("ac/big.json")).as("it names the quarantined blob").doesNotExist();
        try (LocalCache opened = LocalCache.open(ConfigLoader.defaults().withLocalPath(cache), System.getenv())) {
            assertThat(opened.index().find(BlobKind.BLOB, hash)).isEmpty();
            assertThat(opened.index().totals().blobCount()).isEqualTo(2499);
        }
        CliRun after = CliRun.of(args.toArray(String[]::new));
        assertThat(after.exitCode()).as(after.toString()).isZero();
    }
}
