package vn.zalogateway.provider.etelecom;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of eTelecom's CreateJourney; the int64 {@code oa_id} travels as a string, as in eTelecom's example. */
record CreateJourneyCall(
        @JsonProperty("oa_id") String oaId,
        @JsonProperty("phone") String phone,
        @JsonProperty("token_type") String tokenType) {
}
