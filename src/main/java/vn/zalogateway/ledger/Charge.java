package vn.zalogateway.ledger;

import java.math.BigDecimal;
import java.util.UUID;

/**
 * One charge as the gateway learned it: for {@code subjectId} (a message, or a journey for its token), the
 * {@code item} paid for, and the message it came with ({@code messageId}: part of that message's cost; null
 * when none is known, e.g. a token charge a receipt reported). {@code source} says what told it;
 * {@code ofRecord} whether {@code provider} is the one that sent it and bills it (eSMS for a transaction
 * message, eTelecom for a journey message and its token): its report is the charge, another's stands in until it comes.
 */
public record Charge(UUID consumerId, long oaId, UUID subjectId, ChargeItem item, UUID messageId, String provider,
        Source source, String currency, BigDecimal amount, boolean ofRecord) {

    /** What told the gateway of a charge. */
    public enum Source {
        /** A delivery receipt or callback. */
        RECEIPT,
        /** The provider's answer to the send. */
        SEND_ANSWER;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
