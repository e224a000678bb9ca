package vn.zalogateway.console.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RecentRefusalsTest {

    static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    @Test
    void aRefusalHoldsUntilItsEnd() {
        RecentRefusals refusals = new RecentRefusals(10);
        refusals.refuse("name:lan", NOW.plus(Duration.ofMinutes(15)));
        assertThat(refusals.refusedUntil("name:lan", NOW.plusSeconds(60))).contains(NOW.plus(Duration.ofMinutes(15)));
        assertThat(refusals.refusedUntil("name:minh", NOW)).as("other keys are not held up").isEmpty();
        assertThat(refusals.refusedUntil("name:lan", NOW.plus(Duration.ofMinutes(15)))).isEmpty();
        assertThat(refusals.size()).as("an ended refusal is dropped when seen").isZero();
    }

    @Test
    void pastItsCapacityTheOldestGoesAndTheNewestStay() {
        RecentRefusals refusals = new RecentRefusals(3);
        Instant later = NOW.plus(Duration.ofMinutes(15));
        for (int i = 1; i <= 1000; i++) {
            refusals.refuse("address:198.51.100." + i, later);
            assertThat(refusals.size()).isLessThanOrEqualTo(3);
        }
        assertThat(refusals.size()).as("never emptied all at once").isEqualTo(3);
        for (int newest : new int[] { 998, 999, 1000 }) {
            assertThat(refusals.refusedUntil("address:198.51.100." + newest, NOW)).as("key " + newest).isPresent();
        }
        assertThat(refusals.refusedUntil("address:198.51.100.997", NOW)).isEmpty();
        assertThat(refusals.refusedUntil("address:198.51.100.1", NOW)).isEmpty();
    }

    @Test
    void aKeyRefusedAgainCountsAsNew() {
        RecentRefusals refusals = new RecentRefusals(2);
        Instant later = NOW.plus(Duration.ofMinutes(15));
        refusals.refuse("a", later);
        refusals.refuse("b", later);
        refusals.refuse("a", later.plusSeconds(1));
        refusals.refuse("c", later);
        assertThat(refusals.refusedUntil("a", NOW)).contains(later.plusSeconds(1));
        assertThat(refusals.refusedUntil("b", NOW)).isEmpty();
        assertThat(refusals.refusedUntil("c", NOW)).isPresent();
    }
}
