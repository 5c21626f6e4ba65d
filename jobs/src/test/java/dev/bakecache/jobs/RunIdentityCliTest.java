package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed run is resumed only by the same command: a run of another key starts afresh. */
class RunIdentityCliTest {

    @TempDir
    Path tmp;

    @Test
    void restoreOfAnotherKeyAfterAMissRestoresThatKeyIntoItsOwnTarget() throws Exception {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        String cache = tmp.resolve("cache").toString();
        assertThat(CliRun.of("ingest", "--cache", cache, "--key", "docs", "--dir", outputs.toString()).exitCode())
                .isZero();

        CliRun miss = CliRun.of("restore", "--cache", cache, "--key", "missing", "--dir", tmp.resolve("r1").toString());
        assertThat(miss.exitCode()).as(miss.toString()).isNotZero();

        Path r2 = tmp.resolve("r2");
        CliRun hit = CliRun.of("restore", "--cache", cache, "--key", "docs", "--dir", r2.toString());
        assertThat(hit.exitCode()).as(hit.toString()).isZero();
        assertThat(hit.err()).doesNotContain("resuming");
        assertThat(CacheFixtures.describeTree(r2)).isEqualTo(CacheFixtures.describeTree(outputs));
        assertThat(tmp.resolve("r1")).doesNotExist();
    }
}
