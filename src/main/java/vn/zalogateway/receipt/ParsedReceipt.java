package vn.zalogateway.receipt;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.UUID;

/**
 * A delivery receipt read from a provider (NXCloud JSON or eSMS callback parameters); fields it does not carry
 * are null. {@code requestId} is the provider's reference (an SMSID); {@code messageId} our own message id,
 * when the provider echoes it (eSMS's {@code RequestId}).
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
        UUID messageId) {

    /**
     * What makes two deliveries the same receipt: the same status for the same request or journey,
     * with the same code and time. A provider repeating a receipt repeats all of these.
     */
    public String naturalKey() {
        return String.join("|", status.wireName(), String.valueOf(requestId), String.valueOf(journeyId),
                String.valueOf(code), String.valueOf(sentAt), String.valueOf(timestamp));
    }
}
