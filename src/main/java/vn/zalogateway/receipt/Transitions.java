package vn.zalogateway.receipt;

import java.util.EnumSet;
import java.util.Set;

import vn.zalogateway.journey.JourneyStatus;
import vn.zalogateway.message.MessageStatus;

/**
 * The forward-only state machine receipts drive. Messages: SUBMITTED (or UNCONFIRMED, when no receipt came
 * in time) → SENT → DELIVERED, FAILED from any state not final; DELIVERED and FAILED are final, so a late or repeated receipt never moves a
 * message back. Journeys: → ACKNOWLEDGED (charging started) or TIMED_OUT, both final.
 */
public final class Transitions {

    private static final Set<MessageStatus> MESSAGE_FINAL = EnumSet.of(MessageStatus.DELIVERED, MessageStatus.FAILED);
    private static final Set<JourneyStatus> JOURNEY_LIVE = EnumSet.of(JourneyStatus.NEW, JourneyStatus.ENABLED,
            JourneyStatus.DISABLED, JourneyStatus.UNKNOWN);

    private Transitions() {
    }

    /** The message's status after the receipt: the same status when the receipt moves nothing. */
    public static MessageStatus message(MessageStatus current, ReceiptStatus receipt) {
        if (MESSAGE_FINAL.contains(current)) {
            return current;
        }
        return switch (receipt) {
            case SUCCESS -> rank(current) < rank(MessageStatus.SENT) ? MessageStatus.SENT : current;
            case DELIVERED -> MessageStatus.DELIVERED;
            case FAILED -> MessageStatus.FAILED;
            default -> current;
        };
    }

    /** The journey's status after the receipt: the same status when the receipt moves nothing. */
    public static JourneyStatus journey(JourneyStatus current, ReceiptStatus receipt) {
        if (!JOURNEY_LIVE.contains(current)) {
            return current;
        }
        return switch (receipt) {
            case JOURNEY_ACKNOWLEDGED -> JourneyStatus.ACKNOWLEDGED;
            case JOURNEY_TIME_OUT -> JourneyStatus.TIMED_OUT;
            default -> current;
        };
    }

    private static int rank(MessageStatus status) {
        return switch (status) {
            case ACCEPTED, SCHEDULED -> 0;
            case SUBMITTED, UNCONFIRMED -> 1;
            case SENT -> 2;
            case DELIVERED, FAILED -> 3;
        };
    }
}
