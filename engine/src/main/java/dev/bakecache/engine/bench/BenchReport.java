package dev.bakecache.engine.bench;

import java.time.Instant;
import java.util.List;

/**
 * A whole benchmark run, as plain data: what report.json holds, and what the bench job renders
 * report.md and report.html from. The engine measures; it does not word or draw the results.
 *
 * @param schema    the version of report.json's layout; raised when a key changes meaning
 * @param scale     the scale's id
 * @param finished  when the last scenario finished
 * @param machine   where it ran
 * @param scenarios the results, in run order
 */
public record BenchReport(int schema, String scale, Instant finished, Machine machine, List<ScenarioResult> scenarios) {

    public static final int SCHEMA = 1;

    public BenchReport {
        scenarios = List.copyOf(scenarios);
    }
}
