package dev.bakecache.engine.ingest;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IngestProgressTest {

    @Test
    void aTokenReadsBackAsTheSameProgressWhateverThePathHolds() {
        IngestProgress progress = new IngestProgress(2, "odd|name\nwith line", 10, 2048, 3, 4, 512, 7);
        assertThat(IngestProgress.fromToken(progress.toToken())).isEqualTo(progress);
        assertThat(IngestProgress.fromToken(IngestProgress.START.toToken())).isEqualTo(IngestProgress.START);
    }

    @Test
    void aTokenOfAnotherFormatIsRefusedWithTheReason() {
        assertThatThrownBy(() -> IngestProgress.fromToken("1|2|3"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another bake-cache version");
    }
}
