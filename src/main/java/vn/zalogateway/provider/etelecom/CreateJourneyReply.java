package vn.zalogateway.provider.etelecom;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * eTelecom's answer to CreateJourney. Dates stay text here: a provider's odd date must not turn a
 * created token into a failure, so they are parsed leniently later.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection
record CreateJourneyReply(
        @JsonProperty("id") String id,
        @JsonProperty("journey_id") String journeyId,
        @JsonProperty("journey_token") String journeyToken,
        @JsonProperty("expired_at") @JsonAlias("expires_at") String expiresAt,
        @JsonProperty("phone") String phone,
        @JsonProperty("status") String status,
        @JsonProperty("error_code") Integer errorCode,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("is_charged") Boolean charged,
        @JsonProperty("created_at") String createdAt,
        @JsonProperty("updated_at") String updatedAt) {
}
