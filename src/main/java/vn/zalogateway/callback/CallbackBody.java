package vn.zalogateway.callback;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Set;

import io.vertx.core.json.JsonObject;

/**
 * The body of a status callback, made from the facts the trigger kept: {@code {"type", "timestamp", "data"}},
 * times written in the gateway's zone. Made the same way on every attempt, so every retry carries the same bytes.
 */
public final class CallbackBody {

    /** The data fields that are times (stored by PostgreSQL in UTC). */
    static final Set<String> TIMES = Set.of("occurred_at", "expires_at");

    private CallbackBody() {
    }

    public static String render(String eventType, Instant createdAt, JsonObject data, ZoneId zone) {
        JsonObject written = new JsonObject();
        data.forEach(field -> written.put(field.getKey(), TIMES.contains(field.getKey()) && field.getValue() instanceof String text
                ? inZone(text, zone) : field.getValue()));
        return new JsonObject()
                .put("type", eventType)
                .put("timestamp", createdAt.truncatedTo(ChronoUnit.MILLIS).atZone(zone).toOffsetDateTime().toString())
                .put("data", written)
                .encode();
    }

    private static String inZone(String time, ZoneId zone) {
        try {
            return OffsetDateTime.parse(time).atZoneSameInstant(zone).toOffsetDateTime().truncatedTo(ChronoUnit.MILLIS).toString();
        } catch (DateTimeParseException notIso) {
            return time;
        }
    }
}
