package dev.bakecache.schedules;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JobScheduleTest {

    @Test
    void cronIsKeptInTheFormQuartzFires() {
        assertThat(JobSchedule.of(Map.of("gc", "0 3 * * *"), job -> null))
                .containsExactly(new JobSchedule("gc", "0 0 3 * * ?"));
    }

    @Test
    void everyBadEntryIsNamedByItsKeyInOneMessage() {
        Map<String, String> schedules = new LinkedHashMap<>();
        schedules.put("restore", "0 0 3 * * ?");
        schedules.put("gc", "0 0 3 * * ?");
        schedules.put("evict", "0 0 25 * * ?");
        assertThatThrownBy(() -> JobSchedule.of(schedules, job -> job.equals("restore") ? "restore needs --key" : null))
                .hasMessageContaining("schedules.restore: restore needs --key")
                .hasMessageContaining("schedules.evict: '0 0 25 * * ?' is not a valid cron expression")
                .message().doesNotContain("schedules.gc");
    }

    @Test
    void anEmptySectionIsRefusedWithAnExample() {
        assertThatThrownBy(() -> JobSchedule.of(Map.of(), job -> null))
                .hasMessageStartingWith("schedules: nothing to schedule; add e.g.");
    }
}
