package dev.bakecache.engine.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Repeated measurements of one thing, summarised.
 *
 * @param median      the median sample
 * @param min         the smallest sample
 * @param max         the largest sample
 * @param spreadPct   (max - min) / median, in percent: how much to trust the median
 * @param repetitions the number of samples
 */
public record Stats(double median, double min, double max, double spreadPct, int repetitions) {

    public static Stats of(List<Double> samples) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples to summarise");
        }
        List<Double> sorted = new ArrayList<>(samples);
        Collections.sort(sorted);
        int n = sorted.size();
        double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
        double min = sorted.getFirst();
        double max = sorted.getLast();
        double spread = median == 0 ? 0 : (max - min) / median * 100;
        return new Stats(median, min, max, spread, n);
    }

    /** One exact value, such as a byte count. */
    public static Stats exactly(double value) {
        return of(List.of(value));
    }
}
