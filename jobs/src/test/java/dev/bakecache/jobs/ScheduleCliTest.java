package dev.bakecache.jobs;

import dev.bakecache.jobs.cli.BakeCacheCommand;
import dev.bakecache.schedules.CacheScheduler;
import dev.bakecache.schedules.JobSchedule;
import dev.bakecache.schedules.ScheduleStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bake-cache schedule}: firings, overlap, configuration errors, and SIGTERM. */
class ScheduleCliTest {

    @TempDir
    Path tmp;

    @Test
    void everySecondFiringRunsTheJobOnceAndNeverTwoAtOnce() throws Exception {
        Path cache = PathOptionsCliTest.emptyCache(tmp.resolve("cache"));
        Set<Instant> firings = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out, true);
        try (CacheScheduler ignored = CacheScheduler.start(List.of(new JobSchedule("stats", "* * * * * ?")),
                ScheduleStore.inMemory(), (job, scheduledFor) -> {
                    mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                    assertThat(firings.add(scheduledFor)).as("fired twice for " + scheduledFor).isTrue();
                    BakeCacheCommand.execute(writer, writer, job, "--cache", cache.toString());
                    running.decrementAndGet();
                })) {
            while (JobHistory.ofCache(cache, "stats").executions().stream().filter(e -> e.end() != null).count() < 3) {
                Thread.sleep(50);
            }
        }
        JobHistory history = JobHistory.ofCache(cache, "stats");
        assertThat(history.executions()).as(out.toString()).hasSize(firings.size())
                .allSatisfy(e -> assertThat(e.status()).isEqualTo("COMPLETED"));
        assertThat(history.anyOverlap()).as(history.toString()).isFalse();
        assertThat(mostAtOnce).hasValue(1);
    }

    @Test
    void aScheduleForAJobThatNeedsOptionsIsRefusedNamingItsKey() throws Exception {
        Path config = Files.writeString(tmp.resolve("bake.yaml"),
                "schedules:\n  restore: \"0 0 3 * * ?\"\n  gc: \"0 0 3 * * ?\"\n  nope: \"0 3 * * *\"\n");
        CliRun run = CliRun.of("schedule", "--config", config.toString(), "--cache", tmp.resolve("cache").toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("schedules.restore: restore needs")
                .contains("schedules.nope: there is no job called 'nope'").doesNotContain("schedules.gc");
    }

    @Test
    void anInvalidCronIsRefusedNamingItsKey() throws Exception {
        Path config = Files.writeString(tmp.resolve("bake.yaml"), "schedules:\n  gc: \"0 0 25 * * ?\"\n");
        CliRun run = CliRun.of("schedule", "--config", config.toString(), "--cache", tmp.resolve("cache").toString());
        assertThat(run.exitCode()).as(run.toString()).isEqualTo(2);
        assertThat(run.err()).contains("schedules.gc: '0 0 25 * * ?' is not a valid cron expression");
    }

    @Test
    void onARootThatHoldsNoCacheTheSchedulerWarnsAndEachFiringIsRefusedCreatingNothing() throws Exception {
        Path typo = tmp.resolve("cahce");
        Path config = Files.writeString(tmp.resolve("bake.yaml"), "schedules:\n  stats: \"* * * * * ?\"\n");
        Path log = tmp.resolve("schedule.log");

        Process scheduler = CliProcess.start(log, List.of("schedule", "--config", config.toString(),
                "--cache", typo.toString()));
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (scheduler.isAlive() && System.nanoTime() < deadline && !Files.readString(log).contains("exited")) {
            Thread.sleep(50);
        }
        scheduler.destroy(); // SIGTERM
        assertThat(scheduler.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();

        assertThat(Files.readString(log)).contains("bake-cache schedule: warning: --cache " + typo + " holds no cache")
                .contains("bake-cache: --cache " + typo + " holds no cache")
                .containsPattern("stats firing of \\S+ exited 2");
        assertThat(typo).doesNotExist();
    }

    @Test
    void sigtermStopsTheRunningJobSoThatTheSameCommandResumesIt() throws Exception {
        Path cache = TerminatedJobTest.cacheThatTakesSecondsToVerify(tmp);
        Path config = Files.writeString(tmp.resolve("bake.yaml"), "schedules:\n  verify: \"* * * * * ?\"\n");
        Path log = tmp.resolve("schedule.log");

        Process scheduler = CliProcess.start(log, List.of("schedule", "--config", config.toString(),
                "--cache", cache.toString()));
        while (scheduler.isAlive() && JobHistory.ofCache(cache, "verify").executions().isEmpty()) {
            Thread.sleep(20);
        }
        scheduler.destroy(); // SIGTERM
        assertThat(scheduler.waitFor(60, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();

        JobHistory history = JobHistory.ofCache(cache, "verify");
        assertThat(history.executions()).as(Files.readString(log)).hasSize(1);
        assertThat(history.last().status()).as(Files.readString(log)).isEqualTo("STOPPED");
        CliRun resumed = CliRun.of("verify", "--cache", cache.toString());
        assertThat(resumed.exitCode()).as(resumed.toString()).isZero();
        assertThat(resumed.out()).startsWith("verified 2500 blobs and chunks");
        assertThat(JobHistory.ofCache(cache, "verify").executions()).hasSize(2);
    }
}
