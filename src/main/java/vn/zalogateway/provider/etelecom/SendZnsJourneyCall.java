package vn.zalogateway.provider.etelecom;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;

/**
 * The body of eTelecom's SendZNSJourney. {@code oa_id} travels as a string of digits, as in
 * CreateJourney; {@code template_data} is the consumer's validated JSON object, embedded as it is.
 */
record SendZnsJourneyCall(
        @JsonProperty("oa_id") String oaId,
        @JsonProperty("journey_id") String journeyId,
        @JsonProperty("phone") String phone,
        @JsonProperty("template_id") int templateId,
        @JsonProperty("template_data") @JsonRawValue String templateData,
        @JsonProperty("tracking_id") String trackingId) {
}
