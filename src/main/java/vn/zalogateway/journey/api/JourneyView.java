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
        @JsonInclude(JsonInclude.Include.NON_NULL) Provider provider,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<MessageRef> messages,
        @JsonInclude(JsonInclude.Include.NON_NULL) List<Receipt> receipts) {

    /** What eTelecom said of the token besides it: its own times and the phone it linked (each absent when not given). */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Provider(OffsetDateTime createdAt, OffsetDateTime updatedAt, String phone) {
    }

    /** A receipt about the token (journey_acknowledged, journey_time_out): NXCloud's app, its time, and the cost it reported. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Receipt(String status, Integer code, String message, String appId, OffsetDateTime timestamp, Cost cost,
            OffsetDateTime receivedAt) {
    }

    /** A cost a receipt reported (the charge itself is the ledger's: the journey's messages show it). */
    @RegisterForReflection
    public record Cost(String currency, double amount) {
    }

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
        return of(journey, null, null, zone);
    }

    /** With its messages and receipts, when they are not null. */
    public static JourneyView of(Journey journey, List<JourneyService.MessageLine> messages, List<JourneyService.ReceiptLine> receipts,
            ZoneId zone) {
        Provider provider = journey.providerCreatedAt() == null && journey.providerUpdatedAt() == null && journey.providerPhone() == null
                ? null : new Provider(Timestamps.at(journey.providerCreatedAt(), zone), Timestamps.at(journey.providerUpdatedAt(), zone),
                        journey.providerPhone());
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
                provider,
                messages == null ? null : messages.stream().map(line -> new MessageRef(line.id().toString(), line.kind(),
                        line.status(), line.templateId(), line.providerMessageId(),
                        line.feeToken() == null ? null : line.feeToken().doubleValue(),
                        Timestamps.at(line.createdAt(), zone))).toList(),
                receipts == null ? null : receipts.stream().map(line -> new Receipt(line.status(), line.code(), line.message(),
                        line.appId(), Timestamps.at(line.providerTime(), zone),
                        line.costAmount() == null ? null : new Cost(line.costCurrency(), line.costAmount().doubleValue()),
                        Timestamps.at(line.receivedAt(), zone))).toList());
    }
}
