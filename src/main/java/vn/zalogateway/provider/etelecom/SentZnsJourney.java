package vn.zalogateway.provider.etelecom;

import java.math.BigDecimal;

/**
 * A ZNS journey message eTelecom took: its {@code msg_id} (receipts quote it as {@code requestId}) and
 * what it charged: {@code feeMain} for the message, {@code feeToken} for the token (its first message only).
 */
public record SentZnsJourney(String msgId, BigDecimal feeMain, BigDecimal feeToken, boolean charged) {
}
