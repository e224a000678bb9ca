package vn.zalogateway.message;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a message is and who sends it: a Zalo transaction message through eSMS, or a ZNS journey
 * message through eTelecom with a journey token (contract v1.2).
 */
public enum MessageKind {
    TRANSACTION("transaction"),
    ZNS_JOURNEY("zns_journey");

    public static final String MESSAGE = "must be transaction or zns_journey";

    private final String wireName;

    MessageKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<MessageKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName.equals(name)).findFirst();
    }
}
