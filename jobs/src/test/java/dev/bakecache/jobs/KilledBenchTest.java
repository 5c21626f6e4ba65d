package dev.bakecache.jobs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 after the first scenario, then the same command again: only the scenario not yet done runs. */
class KilledBenchTest {

    @TempDir
    Path tmp;

    @Test
    void killedBenchResumesWithTheScenariosNotYetDone() throws Exception {
        Path out = tmp.resolve("report");
        List<String> args = List.of("bench", "--scale", "small", "--scenarios", "incremental,manifest",
                "--out", out.toString());

        Process first = CliProcess.start(tmp.resolve("first.log"), args);
        // the manifest scenario's scratch tree appears only after the incremental result was committed
        Path secondScenarioStarted = out.resolve("work/manifest");
        while (first.isAlive() && !Files.exists(secondScenarioStarted)) {
            Thread.sleep(5);
        }
        assertThat(first.isAlive()).as(Files.readString(tmp.resolve("first.log"))).isTrue();
        first.destroyForcibly(); // SIGKILL: no shutdown hooks, no cleanup
        first.waitFor(30, TimeUnit.SECONDS);
        assertThat(out.resolve("report.json")).doesNotExist();

        CliRun second = CliRun.of(args.toArray(String[]::new));

        assertThat(second.exitCode()).as(second.toString()).isZero();
        assertThat(second.err()).contains("was interrupted; resuming it");
        assertThat(second.out()).startsWith("bench small: incremental ").contains("manifest ");
        assertThat(scenariosRunByTheLastExecution(out.resolve("state/jobs/repository.sqlite"))).isEqualTo(1);
    }

    /** The tasklet counts one write per scenario it ran; a resumed step execution starts from zero. */
    private static long scenariosRunByTheLastExecution(Path repository) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + repository);
             ResultSet last = db.createStatement().executeQuery(
                     "select WRITE_COUNT from BATCH_STEP_EXECUTION order by STEP_EXECUTION_ID desc limit 1")) {
            assertThat(last.next()).isTrue();
            return last.getLong(1);
        }
    }
}
