package vn.zalogateway.message;

import java.time.Instant;

/** Filters of a message listing; null means "any". {@code to} is exclusive. */
public record MessageFilter(Long oaId, MessageStatus status, Instant from, Instant to) {
}
