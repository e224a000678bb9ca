package vn.zalogateway.message.api;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonRawValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import vn.zalogateway.common.Timestamps;
import vn.zalogateway.journey.Journey;
import vn.zalogateway.journey.JourneyStatus;
import vn.zalogateway.ledger.ChargeItem;
import vn.zalogateway.ledger.Ledger;
import vn.zalogateway.message.AttemptStatus;
import vn.zalogateway.message.Fallback;
import vn.zalogateway.message.Message;
import vn.zalogateway.message.MessageStatus;
import vn.zalogateway.message.MessageService;
import vn.zalogateway.provider.nxcloud.NxcloudCodes;

/** A message as consumers see it. {@code cost} and {@code receipts} fill in as delivery receipts arrive. */
@RegisterForReflection
public record MessageView(
        String id,
        String kind,
        String oaId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String userId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String templateType,
        @JsonInclude(JsonInclude.Include.NON_NULL) String language,
        @JsonInclude(JsonInclude.Include.NON_NULL) String phone,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer templateId,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String templateData,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean templateChecked,
        @JsonInclude(JsonInclude.Include.NON_NULL) StoredTemplate template,
        MessageStatus status,
        String providerMessageId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String zaloMsgId,
        @JsonInclude(JsonInclude.Include.NON_NULL) String providerNote,
        @JsonInclude(JsonInclude.Include.NON_NULL) JourneyRef journey,
        @JsonInclude(JsonInclude.Include.NON_NULL) Error error,
        @JsonInclude(JsonInclude.Include.NON_NULL) Cost cost,
        @JsonInclude(JsonInclude.Include.NON_NULL) String channel,
        List<Attempt> attempts,
        @JsonInclude(JsonInclude.Include.NON_NULL) FallbackView fallback,
        @JsonInclude(JsonInclude.Include.NON_NULL) Window sendWindow,
        @JsonInclude(JsonInclude.Include.NON_NULL) OffsetDateTime dueAt,
        @JsonInclude(JsonInclude.Include.NON_NULL) Held held,
        boolean sandbox,
        OffsetDateTime sendAt,
        String ext,
        @JsonInclude(JsonInclude.Include.NON_NULL) String batchId,
        int sendAttempts,
        OffsetDateTime createdAt,
        OffsetDateTime updatedAt,
        OffsetDateTime submittedAt,
        List<Receipt> receipts) {

    /**
     * One channel's attempt at the message (contract v1.3): the Zalo send, and the SMS it fell back to, with why
     * ({@code reason}) and in how many {@code parts}.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Attempt(String channel, AttemptStatus status, String providerMessageId, Error error, Cost cost,
            OffsetDateTime submittedAt, String reason, Integer parts) {
    }

    /** The SMS the message falls back to, as it was accepted. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FallbackView(Sms sms, String after) {
        @RegisterForReflection
        public record Sms(String phone, String text, String brandname, boolean unicode, int parts) {
        }
    }

    /** The stored template a transaction message was made from, and the version it used. */
    @RegisterForReflection
    public record StoredTemplate(String name, int version) {
    }

    /** A send window: HH:mm, Asia/Ho_Chi_Minh; {@code from} after {@code to} spans midnight. */
    @RegisterForReflection
    public record Window(String from, String to) {
    }

    /** Why a message waits beyond when it was due: its OA's quota (until the daily reset, or quota seen again). */
    @RegisterForReflection
    public record Held(String reason, OffsetDateTime until) {
    }

    /** The journey the message rides on: linked by {@code journey_id}, or created for it by {@code journey}. */
    @RegisterForReflection
    public record JourneyRef(String id, JourneyStatus status) {
    }

    /**
     * Why a message failed (or what is uncertain about it): the provider's own {@code code} and {@code message}, as they
     * came, and {@code class}, what it means for what can be done next (recipient_unreachable, quota, template,
     * account, transient, unknown).
     */
    @RegisterForReflection
    public record Error(String code, String message,
            @JsonProperty("class") @JsonInclude(JsonInclude.Include.NON_NULL) String errorClass) {
    }

    /**
     * What the message cost, from the ledger; for a journey message, eTelecom's fees apart: the message's, and the
     * token's (its first message only). Charged in several currencies (rare: a Zalo send and an SMS billed apart),
     * {@code currency} and {@code amount} are absent and {@code totals} has each currency's sum.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Cost(String currency, Double amount, Double feeMain, Double feeToken, List<Total> totals) {

        Cost(String currency, double amount) {
            this(currency, amount, null, null, null);
        }
    }

    /** A sum in one currency. */
    @RegisterForReflection
    public record Total(String currency, double amount) {
    }

    /**
     * One receipt; {@code meaning} explains NXCloud's code from its code table; {@code send_time} and
     * {@code timestamp} are the provider's own times, {@code zalo} what Zalo answered (NXCloud's zaloRes,
     * where failure details live), {@code unreadable} the optional fields that came in a shape the gateway could not read.
     */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Receipt(String provider, String channel, String status, Integer code, String meaning, String message, Cost cost,
            OffsetDateTime sendTime, OffsetDateTime timestamp, Zalo zalo, String unreadable, OffsetDateTime receivedAt) {
    }

    /** NXCloud's zaloRes, field for field. */
    @RegisterForReflection
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Zalo(Integer error, String message, String sysMsg, String cusMsg, String msgId, OffsetDateTime sentTime,
            String sendingMode) {
    }

    public static MessageView of(MessageService.Result result, ZoneId zone) {
        Message message = result.message();
        Journey journey = result.journey();
        return new MessageView(
                message.id().toString(),
                message.kind().wireName(),
                Long.toString(message.oaId()),
                message.userId(),
                message.templateType(),
                message.language(),
                message.phone(),
                message.templateId(),
                message.templateData(),
                message.templateChecked(),
                message.storedTemplateName() == null ? null
                        : new StoredTemplate(message.storedTemplateName(), message.storedTemplateVersion()),
                message.status(),
                message.providerMessageId(),
                message.zaloMsgId(),
                message.providerNote(),
                journey == null ? null : new JourneyRef(journey.id().toString(), journey.statusAt(java.time.Instant.now())),
                error(message),
                cost(result.cost()),
                message.channel(),
                attempts(message, result.cost(), zone),
                fallback(message.fallback()),
                message.window() == null ? null : new Window(message.window().fromText(), message.window().toText()),
                Timestamps.at(message.dueAt(), zone),
                message.heldUntil() == null ? null : new Held("oa_quota", Timestamps.at(message.heldUntil(), zone)),
                message.sandbox(),
                Timestamps.at(message.sendAt(), zone),
                message.ext(),
                message.batchId() == null ? null : message.batchId().toString(),
                message.attempts(),
                Timestamps.at(message.createdAt(), zone),
                Timestamps.at(message.updatedAt(), zone),
                Timestamps.at(message.submittedAt(), zone),
                result.receipts().stream().map(line -> receipt(line, zone)).toList());
    }

    /**
     * The message's own error: none once it is delivered, or while its SMS carries it (each attempt's error is on the
     * attempt); the SMS's when both channels failed; else the Zalo attempt's (or what is uncertain about it).
     */
    private static Error error(Message message) {
        if (message.status() == MessageStatus.DELIVERED) {
            return null;
        }
        if (message.smsStatus() != null) {
            return message.status() == MessageStatus.FAILED && message.smsStatus() == AttemptStatus.FAILED
                    ? new Error(message.smsErrorCode(), message.smsErrorMessage(), message.smsErrorClass())
                    : null;
        }
        return message.errorCode() == null ? null : new Error(message.errorCode(), message.errorMessage(), message.errorClass());
    }

    private static List<Attempt> attempts(Message message, Ledger.MessageCost cost, ZoneId zone) {
        List<Attempt> attempts = new java.util.ArrayList<>(2);
        if (message.zaloStatus() != null) {
            attempts.add(new Attempt("zalo", message.zaloStatus(), message.providerMessageId(),
                    message.errorCode() == null ? null : new Error(message.errorCode(), message.errorMessage(), message.errorClass()),
                    line(cost, ChargeItem.MESSAGE), Timestamps.at(message.submittedAt(), zone), null, null));
        }
        if (message.smsStatus() != null) {
            attempts.add(new Attempt("sms", message.smsStatus(), message.smsProviderMessageId(),
                    message.smsErrorCode() == null ? null : new Error(message.smsErrorCode(), message.smsErrorMessage(), message.smsErrorClass()),
                    line(cost, ChargeItem.SMS), Timestamps.at(message.smsSubmittedAt(), zone), message.smsReason().wireName(),
                    message.fallback() == null ? null : message.fallback().parts()));
        }
        return attempts;
    }

    private static Cost line(Ledger.MessageCost cost, ChargeItem item) {
        Ledger.Line line = cost == null ? null : cost.line(item);
        return line == null ? null : new Cost(line.currency(), line.amount().doubleValue());
    }

    private static FallbackView fallback(Fallback fallback) {
        return fallback == null ? null : new FallbackView(new FallbackView.Sms(fallback.phone(), fallback.text(), fallback.brandname(),
                fallback.unicode(), fallback.parts()), fallback.after() == null ? null : fallback.after().toString());
    }

    private static Receipt receipt(MessageService.ReceiptLine line, ZoneId zone) {
        MessageService.ZaloLine zalo = line.zalo();
        return new Receipt(line.provider(), line.sms() ? "sms" : "zalo", line.status(), line.code(),
                "nxcloud".equals(line.provider()) ? NxcloudCodes.meaning(line.code()) : null, line.message(),
                line.costAmount() == null ? null : new Cost(line.costCurrency(), line.costAmount().doubleValue()),
                Timestamps.at(line.sentAt(), zone), Timestamps.at(line.providerTime(), zone),
                zalo == null ? null : new Zalo(zalo.error(), zalo.message(), zalo.sysMsg(), zalo.cusMsg(), zalo.msgId(),
                        Timestamps.at(zalo.sentAt(), zone), zalo.sendingMode()),
                line.unreadable(), Timestamps.at(line.receivedAt(), zone));
    }

    /** The message's cost as the ledger has it; eTelecom's fees apart for a journey message (the token's with its first message). */
    private static Cost cost(Ledger.MessageCost cost) {
        if (cost == null) {
            return null;
        }
        return new Cost(cost.currency(), cost.amount() == null ? null : cost.amount().doubleValue(),
                cost.feeMain() == null ? null : cost.feeMain().doubleValue(),
                cost.feeToken() == null ? null : cost.feeToken().doubleValue(),
                cost.totals().isEmpty() ? null : cost.totals().stream().map(t -> new Total(t.currency(), t.amount().doubleValue())).toList());
    }
}
