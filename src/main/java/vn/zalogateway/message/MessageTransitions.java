package vn.zalogateway.message;

import java.util.EnumSet;
import java.util.Set;

/**
 * A message's state machine, the one every writer of {@code messages} follows: forward only. ACCEPTED or
 * SCHEDULED → SUBMITTED (a provider took it) → SENT → DELIVERED; FAILED from any state not final; UNCONFIRMED
 * when no final report came within the wait (not final: a late final report still moves it). DELIVERED and FAILED
 * are final, so a late or repeated report never moves a message back.
 */
public final class MessageTransitions {

    /** What a provider reported about a message after it took it. */
    public enum Report {
        /** Zalo got it (NXCloud success, eSMS finished with a success). */
        SENT,
        /** On the user's phone (NXCloud delivered). */
        DELIVERED,
        /** It will not arrive (NXCloud failed, eSMS rejected or finished with a failure). */
        FAILED,
        /** Still on its way (eSMS pending, waiting, sent without a report): recorded, never a move. */
        IN_PROGRESS
    }

    /** States nothing moves a message out of. */
    public static final Set<MessageStatus> FINAL = EnumSet.of(MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.CANCELLED);

    /** States of a message still in the outbox, waiting for its send. */
    static final Set<MessageStatus> WAITING = EnumSet.of(MessageStatus.ACCEPTED, MessageStatus.SCHEDULED);

    private MessageTransitions() {
    }

    /** The message's status after the report: the same status when the report moves nothing. */
    public static MessageStatus next(MessageStatus current, Report report) {
        if (FINAL.contains(current) || current == MessageStatus.CANCELLED) {
            return current;
        }
        return switch (report) {
            case SENT -> rank(current) < rank(MessageStatus.SENT) ? MessageStatus.SENT : current;
            case DELIVERED -> MessageStatus.DELIVERED;
            case FAILED -> MessageStatus.FAILED;
            case IN_PROGRESS -> current;
        };
    }

    /** One channel's attempt after the report, by the same rule: forward only, final states final. */
    static AttemptStatus next(AttemptStatus current, Report report) {
        if (current.isFinal()) {
            return current;
        }
        return switch (report) {
            case SENT -> current.rank() < AttemptStatus.SENT.rank() ? AttemptStatus.SENT : current;
            case DELIVERED -> AttemptStatus.DELIVERED;
            case FAILED -> AttemptStatus.FAILED;
            case IN_PROGRESS -> current;
        };
    }

    /**
     * How far a status is along the way; UNCONFIRMED stands where SENT does (a SENT message whose final report never came
     * ends UNCONFIRMED; a late SENT does not move it back); CANCELLED is final.
     */
    static int rank(MessageStatus status) {
        return switch (status) {
            case ACCEPTED, SCHEDULED -> 0;
            case SUBMITTED -> 1;
            case SENT, UNCONFIRMED -> 2;
            case DELIVERED, FAILED, CANCELLED -> 3;
        };
    }
}
