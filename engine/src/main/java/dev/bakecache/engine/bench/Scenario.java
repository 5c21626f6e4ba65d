package dev.bakecache.engine.bench;

import java.io.IOException;
import java.util.List;

/** One thing the benchmark measures, CAS engine against the tar.zst baseline. */
public interface Scenario {

    /** Stable key, used in {@code --scenarios}, report.json and restart state. */
    String id();

    String title();

    /** Runs the measurements in {@code workspace}; memory and total time are added by {@link BenchWorkspace#run}. */
    Measured measure(BenchWorkspace workspace) throws IOException;

    /** What a scenario measured, before memory and time are attached. */
    record Measured(List<Comparison> comparisons, String notes) {
    }
}
