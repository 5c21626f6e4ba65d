package dev.bakecache.engine.remote;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class ExistenceCacheTest {

    private final AtomicLong now = new AtomicLong(1_000);
    private final ExistenceCache cache = new ExistenceCache(Duration.ofNanos(100), now::get);

    @Test
    void presenceIsTrustedUntilTheTtlRunsOut() {
        cache.markPresent("ab12");
        now.addAndGet(99);
        assertThat(cache.knownPresent("ab12")).isTrue();
        now.addAndGet(1);
        assertThat(cache.knownPresent("ab12")).isFalse();
    }

    @Test
    void forgottenAndNeverSeenBlobsAreNotKnown() {
        cache.markPresent("ab12");
        cache.forget("ab12");
        assertThat(cache.knownPresent("ab12")).isFalse();
        assertThat(cache.knownPresent("cd34")).isFalse();
    }
}
