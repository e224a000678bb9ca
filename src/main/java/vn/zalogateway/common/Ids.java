package vn.zalogateway.common;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

import vn.zalogateway.common.crypto.SecureRandoms;

/**
 * Time-ordered UUIDs (RFC 9562 version 7): ordering by id is ordering by creation millisecond, which
 * gives newest-first listings and keyset cursors one indexed column.
 */
public final class Ids {

    private Ids() {
    }

    /** The id in a path, or a 404 naming what was asked for: a malformed id is as unknown as a missing one. */
    public static UUID orNotFound(String text, String what) {
        UUID id = parseOrNull(text);
        if (id == null) {
            throw vn.zalogateway.common.problem.ProblemException.notFound(what + " " + text);
        }
        return id;
    }

    public static UUID next() {
        return next(Clock.systemUTC().millis());
    }

    static UUID next(long epochMillis) {
        SecureRandom source = SecureRandoms.shared();
        long random12 = source.nextInt(1 << 12);
        long msb = (epochMillis << 16) | 0x7000L | random12;
        long lsb = (source.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }

    /** The smallest id made at or after that instant: a time range as a range of the primary key. */
    public static UUID firstAt(java.time.Instant instant) {
        return new UUID(Math.max(0, instant.toEpochMilli()) << 16, 0L);
    }

    /** The id, or null when the text is not a UUID (callers answer 404 or 400 as fits). */
    public static UUID parseOrNull(String text) {
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException notAUuid) {
            return null;
        }
    }
}
