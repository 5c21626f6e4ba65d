package dev.bakecache.jobs;

import dev.bakecache.engine.CacheFixtures;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job repository and the schedule on a real PostgreSQL server, shared by processes that stand
 * for separate machines: each has its own cache directory, so only the database relates them.
 */
class PostgresJobRepositoryTest {

    private static PostgresServer postgres;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = PostgresServer.start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void ingestAndRestoreRunWithTheirHistoryInPostgres() throws Exception {
        Path outputs = Trees.sample(tmp.resolve("outputs"));
        Path cache = tmp.resolve("cache");
        runsToCompletion("ingest", "--cache", cache.toString(), "--key", "web", "--dir", outputs.toString());
        Path target = tmp.resolve("restored");
        runsToCompletion("restore", "--cache", cache.toString(), "--key", "web", "--dir", target.toString());

        assertThat(CacheFixtures.describeTree(target)).isEqualTo(CacheFixtures.describeTree(outputs));
        assertThat(JobHistory.of(postgres.url(), postgres.user(), "", "ingest").executions())
                .singleElement().satisfies(e -> assertThat(e.status()).isEqualTo("COMPLETED"));
        assertThat(JobHistory.of(postgres.url(), postgres.user(), "", "restore").executions()).hasSize(1);
        assertThat(cache.resolve("jobs/repository.sqlite")).as("no local repository beside the shared one").doesNotExist();
    }

    /**
     * The second machine mounts its own volume at the same cache path, as every pod of the
     * CronJobs mounts its cache at /cache: a private mount namespace puts another directory at
     * that path, so the two processes share no file and no file lock, only the database.
     */
    @Test
    void theSameJobWithTheSameOptionsOnASecondMachineIsToldItIsAlreadyRunning() throws Exception {
        Path cache = TerminatedJobTest.cacheThatTakesSecondsToVerify(tmp);
        Path secondVolume = PathOptionsCliTest.emptyCache(tmp.resolve("second-volume"));
        Path log = tmp.resolve("first.log");
        Process first = CliProcess.start(log, List.of("verify", "--cache", cache.toString()), postgres.env());
        while (first.isAlive() && JobHistory.of(postgres.url(), postgres.user(), "", "verify").executions().isEmpty()) {
            Thread.sleep(20);
        }

        Path secondLog = tmp.resolve("second.log");
        List<String> onSecondMachine = new ArrayList<>(List.of("unshare", "--mount", "--fork", "sh", "-c",
                "mount --bind \"$0\" \"$1\" && shift && exec \"$@\"", secondVolume.toString(), cache.toString()));
        onSecondMachine.addAll(CliProcess.command(List.of("verify", "--cache", cache.toString())));
        ProcessBuilder builder = new ProcessBuilder(onSecondMachine).redirectErrorStream(true)
                .redirectOutput(secondLog.toFile());
        builder.environment().putAll(postgres.env());
        Process second = builder.start();
        assertThat(second.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).as(Files.readString(secondLog)).isEqualTo(3);
        assertThat(Files.readString(secondLog)).contains("verify with the same options is already running on another machine");
        assertThat(secondVolume.resolve("jobs")).as("the second machine's own volume was the one mounted").exists();

        assertThat(first.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(first.exitValue()).as(Files.readString(log)).isZero();
        assertThat(JobHistory.of(postgres.url(), postgres.user(), "", "verify").executions()).hasSize(1);
    }

    @Test
    void twoSchedulersOnOneDatabaseRunEachFiringOnce() throws Exception {
        Path config = Files.writeString(tmp.resolve("bake.yaml"), "schedules:\n  stats: \"* * * * * ?\"\n");
        List<Process> schedulers = new ArrayList<>();
        List<Path> logs = new ArrayList<>();
        for (String machine : List.of("a", "b")) {
            Path log = tmp.resolve(machine + ".log");
            logs.add(log);
            Path cache = PathOptionsCliTest.emptyCache(tmp.resolve(machine));
            schedulers.add(CliProcess.start(log, List.of("schedule", "--config", config.toString(),
                    "--cache", cache.toString()), postgres.env()));
        }
        while (schedulers.stream().allMatch(Process::isAlive) && JobHistory.of(postgres.url(), postgres.user(), "", "stats")
                .executions().stream().filter(e -> "COMPLETED".equals(e.status())).count() < 6) {
            Thread.sleep(100);
        }
        for (Process scheduler : schedulers) {
            scheduler.destroy(); // SIGTERM
        }
        for (Process scheduler : schedulers) {
            assertThat(scheduler.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }

        List<String> firings = new ArrayList<>();
        for (Path log : logs) {
            firings.addAll(firings(Files.readString(log)));
        }
        JobHistory history = JobHistory.of(postgres.url(), postgres.user(), "", "stats");
        String logsText = Files.readString(logs.get(0)) + "\n---\n" + Files.readString(logs.get(1));
        long completed = history.executions().stream().filter(e -> "COMPLETED".equals(e.status())).count();
        assertThat(firings.stream().map(f -> f.split(" ")[0])).as(logsText).doesNotHaveDuplicates()
                .hasSizeGreaterThanOrEqualTo(6);
        assertThat(firings.stream().filter(f -> f.endsWith(" 0"))).as(logsText).hasSize((int) completed);
        assertThat(history.anyOverlap()).as(history.toString()).isFalse();
    }

    /** The firings a scheduler's log reports, one line each: scheduled time and exit code. */
    private static List<String> firings(String log) {
        Matcher matcher = Pattern.compile("stats firing of (\\S+) exited (\\d+)").matcher(log);
        List<String> times = new ArrayList<>();
        while (matcher.find()) {
            times.add(matcher.group(1) + " " + matcher.group(2));
        }
        return times;
    }

    /** Runs the CLI in a child JVM on the PostgreSQL repository: environment variables cannot be set in-process. */
    private void runsToCompletion(String... args) throws IOException, InterruptedException {
        Path log = Files.createTempFile(tmp, "run", ".log");
        Process process = CliProcess.start(log, List.of(args), postgres.env());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(Files.readString(log)).isZero();
    }
}
