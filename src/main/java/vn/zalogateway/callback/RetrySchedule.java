package vn.zalogateway.callback;

import java.time.Duration;
import java.util.List;

/**
 * When a callback is tried again: after each failed attempt, the next delay of the schedule (contract:
 * 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h); after the last, the delivery is FAILED.
 */
public record RetrySchedule(List<Duration> delays) {

    public RetrySchedule {
        delays = List.copyOf(delays);
    }

    /** The delay after attempt number {@code attempts} (1 for the first) failed, or null when it was the last. */
    public Duration after(int attempts) {
        return attempts >= 1 && attempts <= delays.size() ? delays.get(attempts - 1) : null;
    }

    public int attempts() {
        return delays.size() + 1;
    }
}
