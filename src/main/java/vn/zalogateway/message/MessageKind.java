package vn.zalogateway.message;

import java.util.Arrays;
import java.util.Optional;

/**
 * What a message is and who sends it: a Zalo transaction message through eSMS, or a ZNS journey
 * message through eTelecom with a journey token (contract v1.2).
 */
public enum MessageKind {
    TRANSACTION("transaction", "esms"),
    ZNS_JOURNEY("zns_journey", "etelecom");

    public static final String MESSAGE = "must be transaction or zns_journey";

    private final String wireName;
    private final String sender;

    MessageKind(String wireName, String sender) {
        this.wireName = wireName;
        this.sender = sender;
    }

    /** The provider that sends this kind, and bills it. */
    public String sender() {
        return sender;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<MessageKind> fromWireName(String name) {
        return Arrays.stream(values()).filter(kind -> kind.wireName.equals(name)).findFirst();
    }
}
