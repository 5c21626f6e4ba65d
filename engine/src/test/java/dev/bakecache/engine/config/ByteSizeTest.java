package dev.bakecache.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteSizeTest {

    private static final long KIB = 1024;
    private static final long MIB = 1024 * KIB;
    private static final long GIB = 1024 * MIB;

    @ParameterizedTest(name = "{0} = {1} bytes")
    @CsvSource(delimiter = '=', value = {
            "0 = 0",
            "1048576 = 1048576",
            "512B = 512",
            "10KiB = 10240",
            "10KB = 10240",
            "100 KB = 102400",
            "4MiB = 4194304",
            "512MB = 536870912",
            "20GB = 21474836480",
            "1.5GB = 1610612736",
            "20g = 21474836480",
            "2 tib = 2199023255552",
    })
    void parsesNumbersAndBinaryUnits(String text, long bytes) {
        assertThat(ByteSize.parse(text)).isEqualTo(bytes);
    }

    @Test
    void kbAndKibBothMean1024() {
        assertThat(ByteSize.parse("1KB")).isEqualTo(ByteSize.parse("1KiB")).isEqualTo(1024);
        assertThat(ByteSize.parse("1GB")).isEqualTo(GIB);
    }

    @Test
    void unitsAreCaseInsensitive() {
        assertThat(ByteSize.parse("20gb")).isEqualTo(ByteSize.parse("20GB")).isEqualTo(ByteSize.parse("20Gb"));
        assertThat(ByteSize.parse("4mib")).isEqualTo(4 * MIB);
    }

    @Test
    void negativeSizesAreRejected() {
        assertThatThrownBy(() -> ByteSize.parse("-5GB"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'-5GB' is negative; a size must be 0 or more");
    }

    @ParameterizedTest
    @ValueSource(strings = {"20XB", "", "lots", "GB", "1.2.3MB", "5 G B", "0x10"})
    void garbageIsRejectedWithExamples(String text) {
        assertThatThrownBy(() -> ByteSize.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("'" + text + "' is not a size (examples: 20GB, 512MiB, 1048576)");
    }

    @Test
    void overflowIsRejected() {
        assertThatThrownBy(() -> ByteSize.parse("9EiB"))
                .hasMessageContaining("'9EiB' is too large")
                .hasMessageContaining(String.valueOf(Long.MAX_VALUE));
        assertThatThrownBy(() -> ByteSize.parse("99999999999999999999"))
                .hasMessageContaining("is too large");
        assertThat(ByteSize.parse(String.valueOf(Long.MAX_VALUE))).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void fractionsOfAByteAreRejected() {
        assertThatThrownBy(() -> ByteSize.parse("0.1KB"))
                .hasMessage("'0.1KB' is 102.4 bytes, not a whole number of bytes");
    }

    @ParameterizedTest(name = "{0} bytes -> {1}")
    @CsvSource({
            "0, 0 B",
            "1023, 1023 B",
            "1024, 1 KiB",
            "10240, 10 KiB",
            "1572864, 1.5 MiB",
            "1610612736, 1.5 GiB",
            "21474836480, 20 GiB",
            "1048575, 1 MiB",
            "-2048, -2 KiB",
            "9223372036854775807, 8 EiB",
    })
    void formatsForSummaries(long bytes, String text) {
        assertThat(ByteSize.format(bytes)).isEqualTo(text);
    }

    @Test
    void formattedSizesParseBack() {
        assertThat(ByteSize.parse(ByteSize.format(20 * GIB))).isEqualTo(20 * GIB);
        assertThat(ByteSize.parse(ByteSize.format(1536 * MIB))).isEqualTo(1536 * MIB);
    }
}
