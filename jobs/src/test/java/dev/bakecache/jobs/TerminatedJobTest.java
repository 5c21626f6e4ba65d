package dev.bakecache.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SIGTERM to a job run from the command line: it stops where it can resume, and the same command resumes it. */
class TerminatedJobTest {

    @TempDir
    Path tmp;

    /** A cache of 2500 blobs under {@code dir}: a verify of it is long enough to be interrupted. */
    static Path cacheThatTakesSecondsToVerify(Path dir) throws Exception {
        Path outputs = Trees.large(dir.resolve("outputs"), 2500, 64 * 1024);
        Path cache = dir.resolve("cache");
        CliRun ingest = CliRun.of("ingest", "--cache", cache.toString(), "--key", "big", "--dir", outputs.toString());
        assertThat(ingest.exitCode()).as(ingest.toString()).isZero();
        return cache;
    }

    @Test
    void sigtermLeavesAStoppedRunThatTheSameCommandResumes() throws Exception {
        Path cache = cacheThatTakesSecondsToVerify(tmp);
        List<String> args = List.of("verify", "--cache", cache.toString());
        Path log = tmp.resolve("verify.log");

        Process verify = CliProcess.start(log, args);
        while (verify.isAlive() && JobHistory.ofCache(cache, "verify").executions().isEmpty()) {
            Thread.sleep(20);
        }
        verify.destroy(); // SIGTERM
        assertThat(verify.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
        assertThat(JobHistory.ofCache(cache, "verify").last().status()).as(Files.readString(log)).isEqualTo("STOPPED");

        CliRun resumed = CliRun.of(args.toArray(String[]::new));
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.err()).as("a stopped run is restarted, not recovered from a crash")
                .doesNotContain("was interrupted");
        assertThat(resumed.out()).startsWith("verified 2500 blobs and chunks");
        assertThat(JobHistory.ofCache(cache, "verify").executions()).hasSize(2);
    }
}
