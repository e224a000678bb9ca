package vn.zalogateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import org.junit.jupiter.api.Test;

class IdsTest {

    @Test
    void areVersion7AndOrderedByTheirMillisecond() {
        UUID earlier = Ids.next(1_700_000_000_000L);
        UUID later = Ids.next(1_700_000_000_001L);

        assertThat(earlier.version()).isEqualTo(7);
        assertThat(earlier.variant()).isEqualTo(2);
        assertThat(earlier.getMostSignificantBits() >>> 16).isEqualTo(1_700_000_000_000L);
        // PostgreSQL compares uuids byte by byte: the text form orders the same way.
        assertThat(later.toString()).isGreaterThan(earlier.toString());
    }

    @Test
    void parsesOnlyCanonicalUuids() {
        UUID id = Ids.next();
        assertThat(Ids.parseOrNull(id.toString())).isEqualTo(id);
        assertThat(Ids.parseOrNull("1-1-1-1-1")).isNull();
        assertThat(Ids.parseOrNull("not a uuid at all, but 36 chars long")).isNull();
        assertThat(Ids.parseOrNull(null)).isNull();
    }
}
