package dev.bakecache.engine.metrics;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LatencyHistogramTest {

    private static LatencyHistogram of(Duration... durations) {
        long[] counts = new long[LatencyHistogram.BOUNDS_MILLIS.size() + 1];
        long sum = 0;
        for (Duration duration : durations) {
            counts[LatencyHistogram.bucketOf(duration)]++;
            sum += duration.toNanos();
        }
        return new LatencyHistogram(counts, sum);
    }

    private static Duration[] repeat(int times, Duration duration) {
        Duration[] all = new Duration[times];
        java.util.Arrays.fill(all, duration);
        return all;
    }

    @Test
    void aDurationOnABoundFallsInThatBucketAndAnythingLongerInTheNext() {
        assertThat(LatencyHistogram.bucketOf(Duration.ZERO)).isZero();
        assertThat(LatencyHistogram.bucketOf(Duration.ofMillis(1))).isZero();
        assertThat(LatencyHistogram.bucketOf(Duration.ofMillis(1).plusNanos(1))).isEqualTo(1);
        assertThat(LatencyHistogram.bucketOf(Duration.ofHours(5))).isEqualTo(LatencyHistogram.BOUNDS_MILLIS.size());
    }

    @Test
    void percentilesInterpolateInsideTheirBucketAsPrometheusDoes() {
        Duration[] fast = repeat(50, Duration.ofMillis(3));      // bucket (2, 5]
        Duration[] medium = repeat(40, Duration.ofMillis(15));   // bucket (10, 20]
        Duration[] stuck = repeat(10, Duration.ofHours(2));      // overflow
        Duration[] all = java.util.stream.Stream.of(fast, medium, stuck).flatMap(java.util.Arrays::stream)
                .toArray(Duration[]::new);
        LatencyHistogram histogram = of(all);

        assertThat(histogram.count()).isEqualTo(100);
        assertThat(histogram.percentileMillis(0.25)).isCloseTo(3.5, within(1e-9));
        assertThat(histogram.percentileMillis(0.5)).isCloseTo(5.0, within(1e-9));
        assertThat(histogram.percentileMillis(0.7)).isCloseTo(15.0, within(1e-9));
        assertThat(histogram.percentileMillis(0.9)).isCloseTo(20.0, within(1e-9));
        assertThat(histogram.percentileMillis(0.99)).as("overflow reports the largest bound")
                .isEqualTo(LatencyHistogram.BOUNDS_MILLIS.getLast().doubleValue());
        assertThat(histogram.sum()).isEqualTo(Duration.ofMillis(50 * 3 + 40 * 15).plusHours(20));
    }

    @Test
    void anEmptyHistogramHasNoPercentiles() {
        assertThat(LatencyHistogram.EMPTY.percentileMillis(0.5)).isNaN();
    }
}
