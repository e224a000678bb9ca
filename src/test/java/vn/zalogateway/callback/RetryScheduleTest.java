package vn.zalogateway.callback;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RetryScheduleTest {

    /** The contract's schedule: eight attempts in all, the last about 33 h after the first. */
    @Test
    void followsTheContractsScheduleThenGivesUp() {
        RetrySchedule schedule = new RetrySchedule(List.of(Duration.ofSeconds(5), Duration.ofMinutes(5), Duration.ofMinutes(30),
                Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(10), Duration.ofHours(10)));
        assertThat(schedule.after(1)).isEqualTo(Duration.ofSeconds(5));
        assertThat(schedule.after(7)).isEqualTo(Duration.ofHours(10));
        assertThat(schedule.after(8)).as("the eighth attempt was the last").isNull();
        assertThat(schedule.attempts()).isEqualTo(8);
    }
}
