package vn.zalogateway.message;

/** Where one channel's attempt at a message stands (the Zalo send, or the SMS it fell back to). */
public enum AttemptStatus {
    /** The SMS is decided and waits in the outbox for eSMS. */
    PENDING,
    /** The provider took it. */
    SUBMITTED,
    /** Sent on (Zalo got it; the SMS left for the network). */
    SENT,
    /** On the person's phone. */
    DELIVERED,
    /** It will not arrive. */
    FAILED,
    /** No final report came within the wait (submitted or sent on); a late final one still moves it. */
    UNCONFIRMED;

    boolean isFinal() {
        return this == DELIVERED || this == FAILED;
    }

    int rank() {
        return switch (this) {
            case PENDING -> 0;
            case SUBMITTED -> 1;
            // No final report within the wait: a late SENT adds nothing to that; only a final report moves it on.
            case SENT, UNCONFIRMED -> 2;
            case DELIVERED, FAILED -> 3;
        };
    }
}
