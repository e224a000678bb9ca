package vn.zalogateway.common;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;

/**
 * The one reader of times the gateway is given: ISO-8601 with an offset, or the providers'
 * {@code yyyy-MM-dd HH:mm:ss} in a zone. Strict: a day or hour that does not exist (2025-02-29,
 * 24:00:00) is no time, never quietly turned into another one. Read by hand, not with a
 * DateTimeFormatter: receipts read it on the webhook's hot path.
 */
public final class ProviderTime {

    private ProviderTime() {
    }

    /** ISO-8601 with an offset, or {@code yyyy-MM-dd HH:mm:ss} in {@code zone}; null for anything else. */
    public static Instant read(String text, ZoneId zone) {
        if (text == null || text.length() > 40) {
            return null;
        }
        Instant local = readLocal(text, zone);
        if (local != null) {
            return local;
        }
        try {
            return OffsetDateTime.parse(text).toInstant(); // ISO_OFFSET_DATE_TIME resolves strictly
        } catch (DateTimeParseException notIso) {
            return null;
        }
    }

    /** {@code yyyy-MM-dd HH:mm:ss} in {@code zone}; null when it is not that, or no such moment. */
    public static Instant readLocal(String text, ZoneId zone) {
        if (text == null || text.length() != 19 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != ' '
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if ((year | month | day | hour | minute | second) < 0) {
            return null;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).atZone(zone).toInstant();
        } catch (DateTimeException noSuchTime) {
            return null; // 2026-02-30, 25:00:00
        }
    }

    private static int digits(String text, int from, int count) {
        int value = 0;
        for (int i = from; i < from + count; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}
