package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The CLI end to end, in-process, on the embedded SQLite job repository. */
class BakeCacheCliTest {

    @TempDir
    Path tmp;

    private String cache() {
        return tmp.resolve("cache").toString();
    }

    @Test
    void ingestThenRestoreGivesAnIdenticalTree() throws IOException {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        CliRun ingest = CliRun.of("ingest", "--cache", cache(), "--key", "web", "--dir", outputs.toString());
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).startsWith("ingested web: 22 files");

        Path target = tmp.resolve("restored");
        CliRun restore = CliRun.of("restore", "--cache", cache(), "--key", "web", "--dir", target.toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(restore.out()).startsWith("restored 22 files");
        assertThat(CacheFixtures.describeTree(target)).isEqualTo(CacheFixtures.describeTree(outputs));
        assertThat(tmp.resolve("cache/jobs/repository.sqlite")).exists();
    }

    @Test
    void ingestAgainCountsTheBlobItStoresAgainAfterVerifyQuarantinedIt() throws IOException {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        CliRun.of("ingest", "--cache", cache(), "--key", "web", "--dir", outputs.toString());
        Path blob;
        try (Stream<Path> files = Files.walk(tmp.resolve("cache/cas/blobs"))) {
            blob = files.filter(Files::isRegularFile).findFirst().orElseThrow();
        }
        Files.setPosixFilePermissions(blob, PosixFilePermissions.fromString("rw-r--r--"));
        byte[] damaged = Files.readAllBytes(blob);
        damaged[0] ^= 1;
        Files.write(blob, damaged);
        assertThat(CliRun.of("verify", "--cache", cache()).exitCode()).isEqualTo(6);

        CliRun again = CliRun.of("ingest", "--cache", cache(), "--key", "web", "--dir", outputs.toString());

        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("(0 hashed, 22 unchanged), 1 new blobs");
        Path target = tmp.resolve("restored");
        assertThat(CliRun.of("restore", "--cache", cache(), "--key", "web", "--dir", target.toString()).exitCode())
                .isZero();
        assertThat(CacheFixtures.describeTree(target)).isEqualTo(CacheFixtures.describeTree(outputs));
    }

    @Test
    void ingestAgainOfAnUnchangedTreeReadsNothingAndRestoreAgainWritesNothing() throws IOException {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        Path target = tmp.resolve("restored");
        CliRun.of("ingest", "--cache", cache(), "--key", "web", "--dir", outputs.toString());
        CliRun.of("restore", "--cache", cache(), "--key", "web", "--dir", target.toString());

        CliRun again = CliRun.of("ingest", "--cache", cache(), "--key", "web", "--dir", outputs.toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).contains("(0 hashed, 22 unchanged), 0 new blobs");
        CliRun restoreAgain = CliRun.of("restore", "--cache", cache(), "--key", "web", "--dir", target.toString());
        assertThat(restoreAgain.out()).contains("0 written, 22 already right");
    }

    @Test
    void ingestRootStoresEverySubdirectoryUnderItsName() throws IOException {
        Trees.sample(tmp.resolve("recipes/app"));
        Trees.sample(tmp.resolve("recipes/lib"));
        CliRun ingest = CliRun.of("ingest", "--cache", cache(), "--root", tmp.resolve("recipes").toString());
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        assertThat(ingest.out()).startsWith("ingested 2 keys from").contains("44 files");
        assertThat(tmp.resolve("cache/ac/app.json")).exists();
        assertThat(tmp.resolve("cache/ac/lib.json")).exists();
    }

    @Test
    void badOptionsExitTwoWithoutRunningAnything() {
        CliRun noKey = CliRun.of("ingest", "--cache", cache(), "--dir", tmp.toString());
        assertThat(noKey.exitCode()).isEqualTo(2);
        assertThat(noKey.err()).contains("--dir needs --key");
        CliRun missingDir = CliRun.of("ingest", "--cache", cache(), "--key", "k", "--dir", tmp.resolve("nope").toString());
        assertThat(missingDir.exitCode()).isEqualTo(2);
        assertThat(missingDir.err()).contains("is not a directory");
        CliRun unsafeKey = CliRun.of("restore", "--cache", cache(), "--key", "../etc", "--dir", tmp.toString());
        assertThat(unsafeKey.exitCode()).isEqualTo(2);
        assertThat(CliRun.of().exitCode()).isEqualTo(2);
        assertThat(tmp.resolve("cache")).doesNotExist();
    }

    @Test
    void badConfigurationNamesTheKeyAndExitsTwo() throws IOException {
        Path config = Files.writeString(tmp.resolve("bake.yaml"), """
                cache:
                  cas:
                    compression:
                      level: 40
                """);
        CliRun run = CliRun.of("ingest", "--config", config.toString(), "--cache", cache(), "--key", "k",
                "--dir", tmp.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("cache.cas.compression.level").contains("between 1 and 22");
    }

    @Test
    void missingSecretExitsTwoAndNamesTheVariable() throws IOException {
        Path config = Files.writeString(tmp.resolve("bake.yaml"), """
                cache:
                  verification:
                    secretEnv: BAKE_CACHE_TEST_UNSET_SECRET
                """);
        CliRun run = CliRun.of("restore", "--config", config.toString(), "--cache", cache(), "--key", "k",
                "--dir", tmp.toString());
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("BAKE_CACHE_TEST_UNSET_SECRET is not set");
    }

    @Test
    void restoreOfATamperedManifestFailsAndWritesNothing() throws IOException {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        CliRun.of("ingest", "--cache", cache(), "--key", "web", "--dir", outputs.toString());
        Path manifest = tmp.resolve("cache/ac/web.json");
        Files.writeString(manifest, Files.readString(manifest).replace("dist/js/m1.js", "dist/js/evil.js"));
        Path target = tmp.resolve("restored");
        CliRun restore = CliRun.of("restore", "--cache", cache(), "--key", "web", "--dir", target.toString());
        assertThat(restore.exitCode()).isEqualTo(1);
        assertThat(restore.err()).contains("wrong signature");
        assertThat(target).doesNotExist();
    }

    @Test
    void restoreOfAnUnknownKeyIsACacheMissWithExitSeven() throws IOException {
        PathOptionsCliTest.emptyCache(tmp.resolve("cache"));
        CliRun restore = CliRun.of("restore", "--cache", cache(), "--key", "nothing", "--dir", tmp.resolve("t").toString());
        assertThat(restore.exitCode()).isEqualTo(7);
        assertThat(restore.out()).contains("cache miss: no manifest for key 'nothing'");
        assertThat(restore.err()).doesNotContain("resume");
        assertThat(tmp.resolve("t")).doesNotExist();
    }
}
