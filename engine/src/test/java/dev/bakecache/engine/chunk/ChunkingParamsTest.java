package dev.bakecache.engine.chunk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import org.junit.jupiter.api.Test;

class ChunkingParamsTest {

    @Test
    void defaultsAreOneMebibyteMinimumFourAverageAndSixteenMaximum() {
        ChunkingParams defaults = ChunkingParams.defaults();

        assertThat(defaults.minChunk()).isEqualTo(1 << 20);
        assertThat(defaults.avgChunk()).isEqualTo(4 << 20);
        assertThat(defaults.maxChunk()).isEqualTo(16 << 20);
        assertThat(defaults.avgBits()).isEqualTo(22);
    }

    @Test
    void minChunkAboveAvgChunkIsRejectedNamingBothFields() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ChunkingParams(2_000_000, 1_048_576, 4_194_304))
                .withMessage("minChunk (2000000) must not exceed avgChunk (1048576)");
    }

    @Test
    void avgChunkAboveMaxChunkIsRejectedNamingBothFields() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ChunkingParams(1024, 65_536, 32_768))
                .withMessage("avgChunk (65536) must not exceed maxChunk (32768)");
    }

    @Test
    void minChunkBelowSixtyFourBytesIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ChunkingParams(63, 1024, 4096))
                .withMessage("minChunk (63) must be at least 64");
    }

    @Test
    void avgChunkThatIsNotAPowerOfTwoIsRejectedWithTheNearestPowersSuggested() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ChunkingParams(1024, 1_000_000, 4_194_304))
                .withMessage("avgChunk (1000000) must be a power of two, e.g. 524288 or 1048576");
    }

    @Test
    void maxChunkAboveOneGibibyteIsRejected() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ChunkingParams(1 << 20, 1 << 24, (1 << 30) + 1))
                .withMessage("maxChunk (1073741825) must not exceed 1073741824 (1 GiB)");
    }

    @Test
    void equalMinimumAverageAndMaximumAreAllowed() {
        ChunkingParams fixed = new ChunkingParams(4096, 4096, 4096);

        assertThat(fixed.avgBits()).isEqualTo(12);
    }
}
