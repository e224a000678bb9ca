package vn.zalogateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProviderTimeTest {

    static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "2026-12-01 09:00:00, 2026-12-01T02:00:00Z",
            "2026-12-01T09:00:00+07:00, 2026-12-01T02:00:00Z",
            "2026-12-01T02:00:00Z, 2026-12-01T02:00:00Z",
            "2024-02-29 00:00:00, 2024-02-28T17:00:00Z",
            // no such day or hour: refused, never moved to a neighbour (the lenient formatter made 02-28 of it)
            "2025-02-29 00:00:00, none",
            "2025-02-29T00:00:00+07:00, none",
            "2026-12-01 24:00:00, none",
            "2026-13-01 00:00:00, none",
            "2026-12-01 9:00:00, none",
            "2026-12-01T09:00:00, none",
            "next week, none",
            "'', none" })
    void readsStrictly(String text, String expected) {
        assertThat(ProviderTime.read(text, VIETNAM)).isEqualTo(expected == null ? null : Instant.parse(expected));
    }
}
