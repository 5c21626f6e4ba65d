package dev.bakecache.engine.replicate;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestProgressTest {

    @Test
    void aTokenReadsBackAsTheSameProgress() {
        ManifestProgress progress = ManifestProgress.START
                .after(List.of("a", "b"), 2, new ManifestCopy(1, 1, List.of("b"), List.of()))
                .after(List.of("c"), 2, new ManifestCopy(0, 0, List.of(), List.of("c: wrongly signed")));

        assertThat(progress.done()).isTrue();
        assertThat(progress.lastKey()).isEqualTo("b");
        assertThat(ManifestProgress.fromToken(progress.toToken())).isEqualTo(progress);
        assertThat(ManifestProgress.fromToken(ManifestProgress.START.toToken())).isEqualTo(ManifestProgress.START);
    }

    @Test
    void aTokenOfAnotherFormatIsRefusedWithAHint() {
        assertThatThrownBy(() -> ManifestProgress.fromToken("SWEEP|-|0"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("another version");
    }
}
