package vn.zalogateway.common.ratelimit;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

/**
 * What a send left of its consumer's limit, as the IETF draft's headers say it ({@code RateLimit-Limit},
 * {@code RateLimit-Remaining}, {@code RateLimit-Reset} in seconds until the bucket is full again).
 */
public record RateLimit(int limit, long remaining, long resetSeconds) {

    /** No limit applies (limits are off). */
    public static final RateLimit NONE = new RateLimit(0, 0, 0);

    public Response.ResponseBuilder addTo(Response.ResponseBuilder response) {
        headers().forEach(response::header);
        return response;
    }

    /** The draft's three headers; none when no limit applies. */
    Map<String, String> headers() {
        if (this == NONE) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("RateLimit-Limit", Integer.toString(limit));
        headers.put("RateLimit-Remaining", Long.toString(remaining));
        headers.put("RateLimit-Reset", Long.toString(resetSeconds));
        return headers;
    }

    /** Whole seconds, rounded up: a client told 0 would retry at once and be refused again. */
    static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
