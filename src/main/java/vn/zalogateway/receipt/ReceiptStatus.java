package vn.zalogateway.receipt;

import java.util.Arrays;
import java.util.Optional;

/** The statuses NXCloud reports, for messages and for journey tokens. */
public enum ReceiptStatus {
    SUCCESS("success"),
    FAILED("failed"),
    DELIVERED("delivered"),
    JOURNEY_ACKNOWLEDGED("journey_acknowledged"),
    JOURNEY_TIME_OUT("journey_time_out"),
    /** eSMS's intermediate states (pending approval, waiting, sent without a report): recorded, never a move. */
    PROGRESS("progress");

    private final String wireName;

    ReceiptStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** NXCloud reports the seed's five; {@code progress} is eSMS's alone. */
    public boolean fromNxcloud() {
        return this != PROGRESS;
    }

    /** Journey receipts belong to a journey (by journeyId); the others to a message (by requestId). */
    public boolean aboutJourney() {
        return this == JOURNEY_ACKNOWLEDGED || this == JOURNEY_TIME_OUT;
    }

    public static Optional<ReceiptStatus> fromWireName(String name) {
        return Arrays.stream(values()).filter(status -> status.wireName.equals(name)).findFirst();
    }
}
