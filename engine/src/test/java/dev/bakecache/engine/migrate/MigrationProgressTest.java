package dev.bakecache.engine.migrate;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class MigrationProgressTest {

    @Test
    void aTokenReadsBackAsTheSameProgressWhateverRejectionsAndNamesHold() {
        MigrationReport report = MigrationReport.NONE
                .plus(new MigrationOutcome("a.tar.zst", "a", MigrationOutcome.Status.MIGRATED, "", 3, 300, 100, true))
                .plus(MigrationOutcome.rejected("b|c.tar.zst", "b|c", "bad | name\nsecond line"))
                .plus(MigrationOutcome.skipped("d.tar.zst", "d", "already migrated"));
        MigrationProgress progress = new MigrationProgress("d|x\n.tar.zst", false, report);
        assertThat(MigrationProgress.fromToken(progress.toToken())).isEqualTo(progress);
        assertThat(MigrationProgress.fromToken(MigrationProgress.START.toToken())).isEqualTo(MigrationProgress.START);
    }

    @Test
    void theSummaryCountsEveryOutcomeAndListsTheRejections() {
        MigrationReport report = MigrationReport.NONE
                .plus(new MigrationOutcome("a.tar.zst", "a", MigrationOutcome.Status.MIGRATED, "", 3, 300, 100, true))
                .plus(MigrationOutcome.rejected("b.tar.zst", "b", "no"));
        assertThat(report.summary(Path.of("/legacy"), true, Duration.ofMillis(1500))).isEqualTo(
                "migrated 1 of 2 archives from /legacy (0 skipped, 1 rejected, 1 deleted after verification): 3 files,"
                        + " 300 B, 100 B new, in 1.500 s\nrejected b.tar.zst: no");
    }
}
