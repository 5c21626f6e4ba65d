package dev.bakecache.engine.bench;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs every scenario once at a tiny scale and checks what they measured. The reports made of
 * the results are the bench job's (jobs' bench.report), tested there.
 */
class ScenariosTest {

    @TempDir
    static Path dir;

    static List<ScenarioResult> results;

    @BeforeAll
    static void runEveryScenario() throws IOException {
        BenchWorkspace workspace = new BenchWorkspace(dir.resolve("work"), TinyScale.TINY);
        results = new ArrayList<>();
        for (Scenario scenario : Scenarios.all()) {
            results.add(workspace.run(scenario));
        }
    }

    @Test
    void everyScenarioHasAHeadlineRatioAndItsPeakHeap() {
        assertThat(results).extracting(ScenarioResult::id)
                .containsExactly("incremental", "restore", "dedup", "largefile", "parallel", "hashing", "manifest");
        for (ScenarioResult result : results) {
            assertThat(result.ratio()).as(result.id()).isPositive().isEqualTo(result.headline().ratio());
            assertThat(result.memory().heapPeakBytes()).as(result.id()).isPositive();
        }
    }

    @Test
    void sharedRecipesAreStoredInFewerBytesThanTheirArchives() {
        assertThat(comparison("dedup", "storedBytes").ratio()).isGreaterThan(1);
    }

    @Test
    void aSmallEditOfALargeFileStoresLessThanTheFile() {
        Comparison edit = comparison("largefile", "editStoredBytes");

        assertThat(edit.cas().max()).isPositive().isLessThan(TinyScale.TINY.largeFileBytes() / 2.0);
    }

    private static Comparison comparison(String scenario, String id) {
        return results.stream().filter(s -> s.id().equals(scenario)).findFirst().orElseThrow()
                .comparisons().stream().filter(c -> c.id().equals(id)).findFirst().orElseThrow();
    }
}
