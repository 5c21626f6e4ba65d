package dev.bakecache.engine.bench;

import java.util.List;

/**
 * What one scenario measured.
 *
 * @param id          stable key ({@code incremental}, {@code restore}, ...)
 * @param title       for people
 * @param ratio       the headline: the first comparison's ratio, how many times better the CAS is
 * @param comparisons everything measured, headline first
 * @param notes       what was run on what data, in a sentence or two
 * @param memory      the memory the scenario needed
 * @param seconds     wall-clock time of the whole scenario, warm-ups and set-up included
 */
public record ScenarioResult(String id, String title, Double ratio, List<Comparison> comparisons, String notes,
                             MemoryUse memory, double seconds) {

    public ScenarioResult {
        comparisons = List.copyOf(comparisons);
    }

    /** The headline comparison. */
    public Comparison headline() {
        return comparisons.getFirst();
    }
}
