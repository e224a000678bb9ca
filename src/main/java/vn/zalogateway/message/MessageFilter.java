package vn.zalogateway.message;

import java.time.Instant;

/** Filters of a message listing: the consumer's own, and null means "any" for the others. {@code to} is exclusive. */
public record MessageFilter(java.util.UUID consumerId, Long oaId, MessageStatus status, Instant from, Instant to) {
}
