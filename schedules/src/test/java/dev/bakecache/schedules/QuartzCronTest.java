package dev.bakecache.schedules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuartzCronTest {

    @Test
    void unixCronGetsASecondsFieldAndAnyDayOfWeek() {
        assertThat(QuartzCron.of("schedules.gc", "0 3 * * *")).isEqualTo("0 0 3 * * ?");
        assertThat(QuartzCron.of("schedules.gc", "30 2 * * MON-FRI")).isEqualTo("0 30 2 ? * MON-FRI");
    }

    @Test
    void quartzCronIsKeptAsWritten() {
        assertThat(QuartzCron.of("schedules.gc", "0 0 3 * * ?")).isEqualTo("0 0 3 * * ?");
        assertThat(QuartzCron.of("schedules.gc", "0 0 3 ? * SUN 2027")).isEqualTo("0 0 3 ? * SUN 2027");
    }

    @Test
    void numberedUnixWeekdaysAreRefusedBecauseQuartzCountsFromOne() {
        assertThatThrownBy(() -> QuartzCron.of("schedules.gc", "0 3 * * 1"))
                .hasMessageStartingWith("schedules.gc: '0 3 * * 1': Unix cron numbers days of the week from 0");
    }

    @Test
    void bothDayFieldsRestrictedIsRefused() {
        assertThatThrownBy(() -> QuartzCron.of("schedules.gc", "0 0 3 1 * MON"))
                .hasMessageContaining("schedules.gc").hasMessageContaining("put '?' in one of them");
    }

    @Test
    void anImpossibleHourIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> QuartzCron.of("schedules.evict", "0 0 25 * * ?"))
                .hasMessageStartingWith("schedules.evict: '0 0 25 * * ?' is not a valid cron expression");
    }
}
