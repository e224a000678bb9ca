package vn.zalogateway.receipt;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A delivery receipt read from a provider (NXCloud JSON or eSMS callback parameters); fields it does not carry
 * are null. {@code requestId} is the provider's reference (an SMSID, a msg_id); {@code messageId} our own message
 * id, when the provider echoes it (eSMS's {@code RequestId}). {@code zalo} is what Zalo answered (NXCloud's
 * {@code zaloRes}), where failure details live. {@code unreadable} names the optional fields that came in a
 * shape the gateway cannot read: the receipt still counts, with those fields unknown and the raw body kept.
 * {@code sms} says it is about a message's SMS fallback (eSMS's callback with TypeId 2), not its Zalo attempt.
 */
public record ParsedReceipt(
        ReceiptStatus status,
        Integer code,
        String message,
        String requestId,
        String journeyId,
        String oaId,
        String appId,
        Instant sentAt,
        Long timestamp,
        String costCurrency,
        BigDecimal costAmount,
        Integer remainingQuota,
        Integer dailyQuota,
        String ext,
        UUID messageId,
        ZaloAnswer zalo,
        List<String> unreadable,
        String rawDigest,
        boolean sms) {

    /** A receipt about a message's Zalo attempt (or a journey). */
    public ParsedReceipt(ReceiptStatus status, Integer code, String message, String requestId, String journeyId, String oaId,
            String appId, Instant sentAt, Long timestamp, String costCurrency, BigDecimal costAmount, Integer remainingQuota,
            Integer dailyQuota, String ext, UUID messageId, ZaloAnswer zalo, List<String> unreadable, String rawDigest) {
        this(status, code, message, requestId, journeyId, oaId, appId, sentAt, timestamp, costCurrency, costAmount, remainingQuota,
                dailyQuota, ext, messageId, zalo, unreadable, rawDigest, false);
    }

    /** NXCloud's {@code zaloRes}: Zalo's own error code and words, and its message id and sending time. */
    public record ZaloAnswer(Integer error, String message, String sysMsg, String cusMsg, String msgId, Instant sentAt,
            String sendingMode) {
    }

    /** Zalo's own message id, when the provider relayed it (NXCloud's zaloRes.data.msg_id, eSMS's partnerids). */
    public String zaloMsgId() {
        return zalo == null ? null : zalo.msgId();
    }

    /** Zalo's own error number, when the provider relayed one. */
    public Integer zaloError() {
        return zalo == null ? null : zalo.error();
    }

    /** NXCloud's {@code timestamp} (epoch milliseconds) as a time, when it is one PostgreSQL can hold. */
    public Instant providerTime() {
        return timestamp == null || timestamp < 0 || timestamp > 253_402_300_799_000L ? null : Instant.ofEpochMilli(timestamp);
    }

    public ParsedReceipt {
        unreadable = unreadable == null ? List.of() : List.copyOf(unreadable);
    }

    /**
     * What makes two deliveries the same receipt: the same status for the same request or journey,
     * with the same code and time. A provider repeating a receipt repeats all of these. When a field of
     * these could not be read, the raw body's digest stands in for it: only the same bytes are the same receipt.
     */
    public String naturalKey() {
        String key = String.join("|", status.wireName(), String.valueOf(requestId), String.valueOf(journeyId),
                String.valueOf(code), String.valueOf(sentAt), String.valueOf(timestamp));
        key = unreadable.isEmpty() || rawDigest == null ? key : key + "|" + rawDigest;
        // Two ids at their longest would not fit the column: their digest does, and stays as distinct.
        return key.length() <= ReceiptColumns.NATURAL_KEY ? key : status.wireName() + "|" + vn.zalogateway.common.Sha256.hex(key);
    }
}
