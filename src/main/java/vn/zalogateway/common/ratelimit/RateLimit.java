package vn.zalogateway.common.ratelimit;

import jakarta.ws.rs.core.Response;

/**
 * What a send left of its consumer's limit, as the IETF draft's headers say it ({@code RateLimit-Limit},
 * {@code RateLimit-Remaining}, {@code RateLimit-Reset} in seconds until the bucket is full again).
 */
public record RateLimit(int limit, long remaining, long resetSeconds) {

    /** No limit applies (limits are off). */
    public static final RateLimit NONE = new RateLimit(0, 0, 0);

    public Response.ResponseBuilder addTo(Response.ResponseBuilder response) {
        if (this == NONE) {
            return response;
        }
        return response.header("RateLimit-Limit", limit).header("RateLimit-Remaining", remaining)
                .header("RateLimit-Reset", resetSeconds);
    }

    /** Whole seconds, rounded up: a client told 0 would retry at once and be refused again. */
    static long seconds(long nanos) {
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
