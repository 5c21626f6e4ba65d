package dev.bakecache.engine.benchmarks;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Counts the input bytes a benchmark processed, in megabytes (10^6 bytes). JMH divides an
 * {@link AuxCounters.Type#OPERATIONS} counter by the iteration's time like the primary score,
 * so the secondary result {@code <benchmark>:megabytes} is the throughput in MB/s (JMH labels
 * it "ops/s").
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.OPERATIONS)
public class Throughput {

    public double megabytes;

    @Setup(Level.Iteration)
    public void reset() {
        megabytes = 0;
    }

    void add(long bytes) {
        megabytes += bytes / 1e6;
    }
}
