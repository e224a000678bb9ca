package vn.zalogateway.message;

/**
 * Where a message stands, whichever channel carries it; it only ever moves forward (DELIVERED, FAILED and CANCELLED
 * are final). Each channel's own attempt is an {@link AttemptStatus}.
 */
public enum MessageStatus {
    /** Committed, waiting in the outbox for eSMS. */
    ACCEPTED,
    /** Committed, waiting in the outbox for its send_at. */
    SCHEDULED,
    /** eSMS took it (CodeResult 100) and gave its SMSID. */
    SUBMITTED,
    /** Receipt success: Zalo got it. */
    SENT,
    /** Receipt delivered: on the user's phone. */
    DELIVERED,
    /** eSMS or the journey step refused it, a receipt said failed, or retries ran out. */
    FAILED,
    /**
     * eSMS took it, and no receipt came within gateway.receipts.wait, even when asked (GetCallback): its
     * fate is unknown. Not final: a late receipt still moves it to SENT, DELIVERED or FAILED.
     */
    UNCONFIRMED,
    /** Taken back by its consumer before it was claimed for sending (contract v1.3): final, nothing sent. */
    CANCELLED;

    public static final String PATTERN = "ACCEPTED|SCHEDULED|SUBMITTED|SENT|DELIVERED|FAILED|UNCONFIRMED|CANCELLED";
    public static final String MESSAGE = "must be one of: ACCEPTED, SCHEDULED, SUBMITTED, SENT, DELIVERED, FAILED, UNCONFIRMED, CANCELLED";
}
