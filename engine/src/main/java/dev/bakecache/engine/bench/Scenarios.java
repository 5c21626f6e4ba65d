package dev.bakecache.engine.bench;

import java.util.ArrayList;
import java.util.List;

/** The benchmark's scenarios, in the order they run and are reported. */
public final class Scenarios {

    private Scenarios() {
    }

    public static List<Scenario> all() {
        return List.of(new IncrementalScenario(), new RestoreScenario(), new DedupScenario(), new LargeFileScenario(),
                new ParallelScenario(), new ThroughputScenario(), new ManifestScenario());
    }

    /**
     * The scenarios named in {@code ids}, in run order; all of them when {@code ids} is empty.
     *
     * @throws IllegalArgumentException naming an unknown id and the known ones
     */
    public static List<Scenario> select(List<String> ids) {
        List<String> known = all().stream().map(Scenario::id).toList();
        for (String id : ids) {
            if (!known.contains(id)) {
                throw new IllegalArgumentException("unknown scenario '" + id + "'; known: " + String.join(",", known));
            }
        }
        List<Scenario> chosen = new ArrayList<>(all());
        if (!ids.isEmpty()) {
            chosen.removeIf(s -> !ids.contains(s.id()));
        }
        return chosen;
    }
}
