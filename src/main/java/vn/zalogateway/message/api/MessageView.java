package vn.zalogateway.message.api;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;
import vn.zalogateway.common.Timestamps;
import vn.zalogateway.journey.Journey;
import vn.zalogateway.journey.JourneyStatus;
import vn.zalogateway.message.Message;
import vn.zalogateway.message.MessageStatus;
import vn.zalogateway.message.MessageService;
import vn.zalogateway.provider.nxcloud.NxcloudCodes;

/** A message as consumers see it. {@code cost} and {@code receipts} fill in as delivery receipts arrive. */
@RegisterForReflection
public record MessageView(
        String id,
        String oaId,
        String userId,
        String templateType,
        String language,
        MessageStatus status,
        String providerMessageId,
        @JsonInclude(JsonInclude.Include.NON_NULL) JourneyRef journey,
        @JsonInclude(JsonInclude.Include.NON_NULL) Error error,
        @JsonInclude(JsonInclude.Include.NON_NULL) Cost cost,
        boolean sandbox,
        OffsetDateTime sendAt,
        String ext,
        int attempts,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime submittedAt,
        List<Receipt> receipts) {

    /** The journey the message rides on: linked by {@code journey_id}, or created for it by {@code journey}. */
    @RegisterForReflection
    public record JourneyRef(String id, JourneyStatus status) {
    }

    @RegisterForReflection
    public record Error(String code, String message) {
    }

    @RegisterForReflection
    public record Cost(String currency, double amount) {
    }

    /** One receipt; {@code meaning} explains NXCloud's code from its code table. */
    @RegisterForReflection
    public record Receipt(String provider, String status, Integer code,
            @JsonInclude(JsonInclude.Include.NON_NULL) String meaning, String message, OffsetDateTime receivedAt) {
    }

    public static MessageView of(MessageService.Result result, ZoneId zone) {
        Message message = result.message();
        Journey journey = result.journey();
        return new MessageView(
                message.id().toString(),
                Long.toString(message.oaId()),
                message.userId(),
                message.templateType(),
                message.language(),
                message.status(),
                message.providerMessageId(),
                journey == null ? null : new JourneyRef(journey.id().toString(), journey.statusAt(java.time.Instant.now())),
                message.errorCode() == null ? null : new Error(message.errorCode(), message.errorMessage()),
                cost(result.receipts()),
                message.sandbox(),
                Timestamps.at(message.sendAt(), zone),
                message.ext(),
                message.attempts(),
                Timestamps.at(message.createdAt(), zone),
                Timestamps.at(message.updatedAt(), zone),
                Timestamps.at(message.submittedAt(), zone),
                result.receipts().stream().map(line -> new Receipt(line.provider(), line.status(), line.code(),
                        "nxcloud".equals(line.provider()) ? NxcloudCodes.meaning(line.code()) : null, line.message(),
                        Timestamps.at(line.receivedAt(), zone))).toList());
    }

    /** What the message cost: the latest receipt that carried a cost (success and delivered both may). */
    private static Cost cost(List<MessageService.ReceiptLine> receipts) {
        for (int i = receipts.size() - 1; i >= 0; i--) {
            MessageService.ReceiptLine line = receipts.get(i);
            if (line.costAmount() != null) {
                return new Cost(line.costCurrency(), line.costAmount().doubleValue());
            }
        }
        return null;
    }
}
