package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code clean} from the command line; tests run without a terminal, as CronJobs do. */
class CleanCliTest {

    @TempDir
    Path tmp;

    private String cache() {
        return tmp.resolve("cache").toString();
    }

    @Test
    void withoutATerminalCleanRefusesUnlessToldYesAndAfterwardsTheCacheWorks() throws IOException {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        CliRun.of("ingest", "--cache", cache(), "--key", "web", "--dir", outputs.toString());

        CliRun refused = CliRun.of("clean", "--cache", cache());
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("stdin is not a terminal, so pass --yes");
        assertThat(tmp.resolve("cache/ac/web.json")).exists();

        CliRun clean = CliRun.of("clean", "--cache", cache(), "--yes");
        assertThat(clean.exitCode()).as(clean.toString()).isZero();
        assertThat(clean.out()).startsWith("cleaned " + tmp.resolve("cache") + ": removed 1 manifests, 22 blobs, 0 chunks");
        assertThat(tmp.resolve("cache/ac")).isEmptyDirectory();
        assertThat(tmp.resolve("cache/jobs/repository.sqlite")).as("the job history stays").exists();
        CliRun miss = CliRun.of("restore", "--cache", cache(), "--key", "web", "--dir", tmp.resolve("r").toString());
        assertThat(miss.exitCode()).isEqualTo(7);
        assertThat(miss.out()).contains("no manifest for key 'web'");

        CliRun ingest = CliRun.of("ingest", "--cache", cache(), "--key", "web", "--dir", outputs.toString());
        assertThat(ingest.out()).as(ingest.toString()).contains("(22 hashed, 0 unchanged), 22 new blobs");
        CliRun restore = CliRun.of("restore", "--cache", cache(), "--key", "web", "--dir", tmp.resolve("r").toString());
        assertThat(restore.exitCode()).as(restore.toString()).isZero();
        assertThat(CacheFixtures.describeTree(tmp.resolve("r"))).isEqualTo(CacheFixtures.describeTree(outputs));
    }
}
