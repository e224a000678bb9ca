package vn.zalogateway.journey;

/** Filters of a journey listing; null means "any". */
public record JourneyFilter(Long oaId, String phone, JourneyStatus status) {
}
