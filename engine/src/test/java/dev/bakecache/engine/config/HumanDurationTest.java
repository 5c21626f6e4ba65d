package dev.bakecache.engine.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HumanDurationTest {

    @Test
    void readsSecondsMinutesHoursDaysAndZero() {
        assertThat(HumanDuration.parse("90s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(HumanDuration.parse("30m")).isEqualTo(Duration.ofMinutes(30));
        assertThat(HumanDuration.parse(" 1H ")).isEqualTo(Duration.ofHours(1));
        assertThat(HumanDuration.parse("2d")).isEqualTo(Duration.ofDays(2));
        assertThat(HumanDuration.parse("0")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1y", "-1h", "1.5h", "60", "1h30m"})
    void rejectsAnythingElseNamingTheText(String text) {
        assertThatThrownBy(() -> HumanDuration.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "' is not a duration").hasMessageContaining("examples: 30m");
    }

    @Test
    void writesTheLargestWholeUnit() {
        assertThat(HumanDuration.format(Duration.ofHours(48))).isEqualTo("2d");
        assertThat(HumanDuration.format(Duration.ofMinutes(90))).isEqualTo("90m");
        assertThat(HumanDuration.format(Duration.ofHours(1))).isEqualTo("1h");
        assertThat(HumanDuration.format(Duration.ofSeconds(45))).isEqualTo("45s");
        assertThat(HumanDuration.format(Duration.ZERO)).isEqualTo("0s");
    }
}
