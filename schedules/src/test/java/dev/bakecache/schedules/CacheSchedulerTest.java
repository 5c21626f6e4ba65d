package dev.bakecache.schedules;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The in-memory store; the shared one is tested through the CLI on a real PostgreSQL (jobs' PostgresJobRepositoryTest). */
class CacheSchedulerTest {

    private static final List<JobSchedule> GC_EVERY_SECOND = List.of(new JobSchedule("gc", "* * * * * ?"));

    @Test
    void eachFiringLaunchesTheJobByNameAndAFiringThatIsStillRunningIsNotJoinedByTheNext() throws Exception {
        Set<Instant> firings = ConcurrentHashMap.newKeySet();
        Set<String> jobs = ConcurrentHashMap.newKeySet();
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        CountDownLatch threeFirings = new CountDownLatch(3);
        try (CacheScheduler ignored = CacheScheduler.start(GC_EVERY_SECOND, ScheduleStore.inMemory(), (job, scheduledFor) -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            jobs.add(job);
            firings.add(scheduledFor);
            sleep(1500); // longer than the period: the next firing waits for this one
            running.decrementAndGet();
            threeFirings.countDown();
        })) {
            assertThat(threeFirings.await(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(jobs).containsExactly("gc");
        assertThat(firings).hasSizeGreaterThanOrEqualTo(3);
        assertThat(mostAtOnce).hasValue(1);
    }

    @Test
    void closeWaitsForTheRunningFiring() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        AtomicBoolean finished = new AtomicBoolean();
        CacheScheduler scheduler = CacheScheduler.start(GC_EVERY_SECOND, ScheduleStore.inMemory(), (job, scheduledFor) -> {
            started.countDown();
            sleep(500);
            finished.set(true);
        });
        try {
            assertThat(started.await(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            scheduler.close();
        }
        assertThat(finished).isTrue();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
