package dev.bakecache.engine.bench;

import java.io.IOException;
import java.util.List;

/**
 * One thing the benchmark measures, CAS engine against the tar.zst baseline. The id and title are
 * data each scenario passes up, not methods each one overrides; only {@link #measure} differs.
 */
public abstract class Scenario {

    private final String id;
    private final String title;

    /** Package-private: the scenarios are the engine's, listed in {@link Scenarios}. */
    Scenario(String id, String title) {
        this.id = id;
        this.title = title;
    }

    /** Stable key, used in {@code --scenarios}, report.json and restart state. */
    public final String id() {
        return id;
    }

    public final String title() {
        return title;
    }

    /** Runs the measurements in {@code workspace}; memory and total time are added by {@link BenchWorkspace#run}. */
    public abstract Measured measure(BenchWorkspace workspace) throws IOException;

    /** What a scenario measured, before memory and time are attached. */
    public record Measured(List<Comparison> comparisons, String notes) {
    }
}
