package vn.zalogateway.common;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** Instants in and out: from what a native query hands back, to what a consumer reads. */
public final class Timestamps {

    private Timestamps() {
    }

    /** A timestamptz column as the reactive driver returns it (Instant, OffsetDateTime, or UTC LocalDateTime). */
    public static Instant instantOf(Object column) {
        if (column instanceof Instant instant) {
            return instant;
        }
        if (column instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        return column instanceof LocalDateTime local ? local.toInstant(ZoneOffset.UTC) : null;
    }

    /** ISO-8601 with the zone's offset, as responses show times; null stays null. */
    public static OffsetDateTime at(Instant instant, ZoneId zone) {
        return instant == null ? null : instant.atZone(zone).toOffsetDateTime();
    }
}
