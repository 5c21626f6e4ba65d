package dev.bakecache.engine.verify;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class VerifyProgressTest {

    @Test
    void aTokenReadsBackAsTheSameProgress() {
        Finding corrupt = new Finding(Finding.Problem.CORRUPT_BLOB, "ab12", "content | hashes\nto cd34",
                Path.of("/c/quarantine/blobs/ab12"));
        Finding incomplete = new Finding(Finding.Problem.INCOMPLETE_MANIFEST, "app-1.x", "lacks 1", null);
        VerifiedBatch batch = new VerifiedBatch(5, 500, List.of(corrupt, incomplete));
        VerifyProgress start = VerifyProgress.start(new Sample(10, 3));
        VerifyProgress progress = start.within("key-9", start.soFar().plusBlobs(batch), batch);

        assertThat(progress.toQuarantine()).containsExactly(
                new PendingQuarantine(Finding.Problem.CORRUPT_BLOB, "ab12"),
                new PendingQuarantine(Finding.Problem.INCOMPLETE_MANIFEST, "app-1.x"));
        assertThat(VerifyProgress.fromToken(progress.toToken())).isEqualTo(progress);
        assertThat(VerifyProgress.fromToken(start.toToken())).isEqualTo(start);
    }

    @Test
    void aRunIsDoneOnceTheFilesOfItsLastFindingsAreMoved() {
        Finding corrupt = new Finding(Finding.Problem.CORRUPT_CHUNK, "ef56", "unreadable", null);
        VerifiedBatch batch = new VerifiedBatch(1, 1, List.of(corrupt));
        VerifyProgress start = VerifyProgress.start(Sample.ALL);
        VerifyProgress last = start.next(VerifyProgress.Phase.DONE, start.soFar().plusManifests(batch), batch);
        assertThat(last.done()).isFalse();
        assertThat(last.quarantined().done()).isTrue();
    }
}
