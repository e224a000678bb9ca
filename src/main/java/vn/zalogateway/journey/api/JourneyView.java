package vn.zalogateway.journey.api;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;
import vn.zalogateway.common.Timestamps;
import vn.zalogateway.journey.Journey;
import vn.zalogateway.journey.JourneyService;
import vn.zalogateway.journey.JourneyStatus;

/** A journey as consumers see it. */
@RegisterForReflection
public record JourneyView(
        String id,
        String oaId,
        String phone,
        String tokenType,
        String journeyId,
        String journeyToken,
        JourneyStatus status,
        String providerStatus,
        boolean charged,
        OffsetDateTime expiresAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Error error,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<MessageRef> messages) {

    /** A message the journey's token carries: listed when one journey is read, oldest first. */
    @RegisterForReflection
    public record MessageRef(String id, String kind, String status, Integer templateId, String providerMessageId,
            @JsonInclude(JsonInclude.Include.NON_NULL) Double feeToken, OffsetDateTime createdAt) {
    }

    /** Why the attempt failed: eTelecom's own code and message when eTelecom refused. */
    @RegisterForReflection
    public record Error(String code, String message) {
    }

    public static JourneyView of(Journey journey, ZoneId zone) {
        return of(journey, null, zone);
    }

    /** With its messages, when {@code messages} is not null. */
    public static JourneyView of(Journey journey, List<JourneyService.MessageLine> messages, ZoneId zone) {
        return new JourneyView(
                journey.id().toString(),
                Long.toString(journey.oaId()),
                journey.phone(),
                journey.tokenType(),
                journey.journeyId(),
                journey.journeyToken(),
                journey.statusAt(java.time.Instant.now()),
                journey.providerStatus(),
                journey.charged(),
                Timestamps.at(journey.expiresAt(), zone),
                journey.errorCode() == null ? null : new Error(journey.errorCode(), journey.errorMessage()),
                Timestamps.at(journey.createdAt(), zone),
                Timestamps.at(journey.updatedAt(), zone),
                messages == null ? null : messages.stream().map(line -> new MessageRef(line.id().toString(), line.kind(),
                        line.status(), line.templateId(), line.providerMessageId(),
                        line.feeToken() == null ? null : line.feeToken().doubleValue(),
                        Timestamps.at(line.createdAt(), zone))).toList());
    }
}
