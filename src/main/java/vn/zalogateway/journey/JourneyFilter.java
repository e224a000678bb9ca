package vn.zalogateway.journey;

/** Filters of a journey listing: the consumer's own, and null means "any" for the others. */
public record JourneyFilter(java.util.UUID consumerId, Long oaId, String phone, JourneyStatus status) {
}
