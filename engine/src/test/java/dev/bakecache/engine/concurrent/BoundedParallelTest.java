package dev.bakecache.engine.concurrent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BoundedParallelTest {

    @Test
    void runsEveryItemOnNoMoreThreadsThanAllowed() throws IOException {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        Set<Integer> done = ConcurrentHashMap.newKeySet();
        BoundedParallel.forEach(IntStream.range(0, 40).boxed().toList(), 3, item -> {
            most.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            done.add(item);
        });
        assertThat(done).hasSize(40);
        assertThat(most.get()).isBetween(1, 3);
    }

    @Test
    void theFirstFailureIsRethrownAsItIs() {
        IOException failure = new IOException("item 7 failed");
        assertThatThrownBy(() -> BoundedParallel.forEach(IntStream.range(0, 20).boxed().toList(), 4, item -> {
            if (item == 7) {
                throw failure;
            }
        })).isSameAs(failure);
    }

    @Test
    void oneItemRunsOnTheCallingThread() throws IOException {
        Thread caller = Thread.currentThread();
        BoundedParallel.forEach(List.of("only"), 8, item -> assertThat(Thread.currentThread()).isSameAs(caller));
    }
}
