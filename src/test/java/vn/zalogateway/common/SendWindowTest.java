package vn.zalogateway.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import vn.zalogateway.common.problem.Violation;

/** Send windows in Vietnam's time (UTC+7 all year), across midnight included. */
class SendWindowTest {

    static Instant vietnam(String localDateTime) {
        return OffsetDateTime.parse(localDateTime + "+07:00").toInstant();
    }

    @ParameterizedTest(name = "{0}-{1} at {2}: inside {3}, next opening {4}")
    @CsvSource({
            // A day window: from inclusive, to exclusive.
            "07:00, 22:00, 2026-12-07T07:00:00, true,  2026-12-07T07:00:00",
            "07:00, 22:00, 2026-12-07T21:59:59, true,  2026-12-07T21:59:59",
            "07:00, 22:00, 2026-12-07T22:00:00, false, 2026-12-08T07:00:00",
            "07:00, 22:00, 2026-12-07T06:59:59, false, 2026-12-07T07:00:00",
            "07:00, 22:00, 2026-12-07T23:30:00, false, 2026-12-08T07:00:00",
            // Across midnight: 22:00 to 06:00.
            "22:00, 06:00, 2026-12-07T23:00:00, true,  2026-12-07T23:00:00",
            "22:00, 06:00, 2026-12-08T05:59:00, true,  2026-12-08T05:59:00",
            "22:00, 06:00, 2026-12-08T06:00:00, false, 2026-12-08T22:00:00",
            "22:00, 06:00, 2026-12-08T12:00:00, false, 2026-12-08T22:00:00",
            // The last day of a year, and the days other zones change their clocks: Vietnam's do not.
            "07:00, 22:00, 2026-12-31T22:30:00, false, 2027-01-01T07:00:00",
            "07:00, 22:00, 2027-03-28T02:30:00, false, 2027-03-28T07:00:00",
            "07:00, 22:00, 2027-10-31T23:59:59, false, 2027-11-01T07:00:00" })
    void insideAndNextOpening(String from, String to, String at, boolean inside, String opening) {
        SendWindow window = new SendWindow(LocalTime.parse(from), LocalTime.parse(to));
        assertThat(window.contains(vietnam(at))).isEqualTo(inside);
        assertThat(window.nextOpening(vietnam(at))).isEqualTo(vietnam(opening));
    }

    @Test
    void anEmptyWindowIsNone() {
        assertThatThrownBy(() -> new SendWindow(LocalTime.of(7, 0), LocalTime.of(7, 0))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aWindowAsAConsumerWritesItIsReadWithEveryViolation() throws Exception {
        ObjectMapper json = new ObjectMapper();
        List<Violation> violations = new ArrayList<>();
        assertThat(SendWindow.read(json.readTree("{\"from\": \"22:00\", \"to\": \"06:00\"}"), "send_window", violations))
                .isEqualTo(new SendWindow(LocalTime.of(22, 0), LocalTime.of(6, 0)));
        assertThat(violations).isEmpty();

        assertThat(SendWindow.read(json.readTree("{\"from\": \"7:00\", \"to\": 22, \"tz\": \"UTC\"}"), "send_window", violations)).isNull();
        assertThat(violations).extracting(Violation::field).containsExactlyInAnyOrder("send_window.from", "send_window.to",
                "send_window.tz");
        assertThat(SendWindow.read(json.readTree("null"), "send_window", violations)).isNull();
    }
}
