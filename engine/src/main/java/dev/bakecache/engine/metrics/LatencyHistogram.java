package dev.bakecache.engine.metrics;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * How long one kind of operation took, as counts in fixed buckets (as Prometheus histograms
 * keep them), so that histograms from many runs and processes add up and percentiles can be
 * estimated without keeping every sample. Bucket {@code i} counts durations up to
 * {@link #BOUNDS_MILLIS}{@code [i]}; the last bucket counts everything longer.
 */
public final class LatencyHistogram {

    /** Upper bounds in milliseconds, roughly 1-2-5 spaced from 1 ms to an hour. */
    public static final List<Long> BOUNDS_MILLIS = List.of(1L, 2L, 5L, 10L, 20L, 50L, 100L, 200L, 500L, 1_000L,
            2_000L, 5_000L, 10_000L, 20_000L, 60_000L, 120_000L, 300_000L, 600_000L, 1_800_000L, 3_600_000L);

    public static final LatencyHistogram EMPTY = new LatencyHistogram(new long[BOUNDS_MILLIS.size() + 1], 0);

    private final long[] bucketCounts;
    private final long sumNanos;

    /** @param bucketCounts one count per bound, plus one for longer durations */
    public LatencyHistogram(long[] bucketCounts, long sumNanos) {
        if (bucketCounts.length != BOUNDS_MILLIS.size() + 1) {
            throw new IllegalArgumentException("a latency histogram has " + (BOUNDS_MILLIS.size() + 1)
                    + " buckets, got " + bucketCounts.length);
        }
        this.bucketCounts = bucketCounts.clone();
        this.sumNanos = sumNanos;
    }

    /** The bucket a duration falls in. */
    public static int bucketOf(Duration duration) {
        long nanos = duration.toNanos();
        for (int i = 0; i < BOUNDS_MILLIS.size(); i++) {
            if (nanos <= BOUNDS_MILLIS.get(i) * 1_000_000L) {
                return i;
            }
        }
        return BOUNDS_MILLIS.size();
    }

    public long[] bucketCounts() {
        return bucketCounts.clone();
    }

    public long count() {
        return Arrays.stream(bucketCounts).sum();
    }

    public Duration sum() {
        return Duration.ofNanos(sumNanos);
    }

    /**
     * The estimated {@code q}-quantile (0.5 = median) in milliseconds, interpolated linearly inside
     * its bucket as Prometheus' {@code histogram_quantile} does; a quantile in the overflow bucket
     * is reported as the largest bound. NaN when nothing was recorded.
     */
    public double percentileMillis(double q) {
        if (q < 0 || q > 1) {
            throw new IllegalArgumentException("a quantile is between 0 and 1, got " + q);
        }
        long total = count();
        if (total == 0) {
            return Double.NaN;
        }
        double rank = q * total;
        long below = 0;
        for (int i = 0; i < BOUNDS_MILLIS.size(); i++) {
            long inBucket = bucketCounts[i];
            if (inBucket > 0 && below + inBucket >= rank) {
                double lower = i == 0 ? 0 : BOUNDS_MILLIS.get(i - 1);
                double upper = BOUNDS_MILLIS.get(i);
                return lower + (upper - lower) * (rank - below) / inBucket;
            }
            below += inBucket;
        }
        return BOUNDS_MILLIS.getLast();
    }
}
