package vn.zalogateway.provider.etelecom;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** eTelecom's answer to SendZNSJourney (public docs; not in the seeds). Fees are read leniently (a number or a string of one): an odd fee must not undo a sent message. */
@JsonIgnoreProperties(ignoreUnknown = true)
@RegisterForReflection
record SendZnsJourneyReply(
        @JsonProperty("id") String id,
        @JsonProperty("msg_id") String msgId,
        @JsonProperty("journey_id") String journeyId,
        @JsonProperty("error_code") Integer errorCode,
        @JsonProperty("error_message") String errorMessage,
        @JsonProperty("is_charged") Boolean charged,
        @JsonProperty("fee_main") JsonNode feeMain,
        @JsonProperty("fee_token") JsonNode feeToken,
        @JsonProperty("delivery_status") String deliveryStatus,
        @JsonProperty("sent_time") String sentTime) {
}
