package vn.zalogateway.message;

/**
 * A message's state across its channels, and every rule that moves it: the one place a message's life is decided
 * (contract v1.3). {@code zalo} is the Zalo attempt (null until it is submitted, or when it never was); {@code sms}
 * the SMS fallback (null until it is decided: at most once, ever), with its {@code reason}; {@code fallback} whether
 * the message asked for one. The message's own {@code status} is derived from both and only moves forward: it stays
 * SUBMITTED (or SENT) while a fallback is in flight, is DELIVERED when either channel delivered, FAILED when Zalo
 * failed and the SMS failed too (or there was none), UNCONFIRMED when what is left is a Zalo attempt nobody can
 * tell the end of. Plain code: every rule is tested by table (MessageStateTest).
 */
public record MessageState(MessageStatus status, AttemptStatus zalo, AttemptStatus sms, FallbackReason reason, boolean fallback) {

    /** A message in the outbox (ACCEPTED or SCHEDULED), with or without a fallback. */
    public static MessageState waiting(MessageStatus status, boolean fallback) {
        return new MessageState(status, null, null, null, fallback);
    }

    /** A provider took the Zalo send. */
    public MessageState zaloSubmitted() {
        return withZalo(AttemptStatus.SUBMITTED);
    }

    /** A report about the Zalo attempt (a receipt): forward only; a failure sends the fallback, if any, once. */
    public MessageState zaloReport(MessageTransitions.Report report) {
        AttemptStatus next = MessageTransitions.next(zalo == null ? AttemptStatus.SUBMITTED : zalo, report);
        return next == AttemptStatus.FAILED ? move(next, FallbackReason.ZALO_FAILED) : move(next, null);
    }

    /**
     * The Zalo attempt failed before any provider took it (refused at submission, retries exhausted, a journey that
     * cannot carry it): the fallback, if any, goes.
     */
    public MessageState zaloFailed() {
        return zalo != null && zalo.isFinal() ? this : move(AttemptStatus.FAILED, FallbackReason.ZALO_FAILED);
    }

    /** No final report within the wait: the Zalo attempt is UNCONFIRMED, and the fallback, if any, goes. */
    public MessageState waitOver() {
        return zalo != AttemptStatus.SUBMITTED && zalo != AttemptStatus.SENT ? this
                : move(AttemptStatus.UNCONFIRMED, FallbackReason.UNCONFIRMED);
    }

    /** The message's {@code after} passed and Zalo has not delivered it: the fallback goes. */
    public MessageState notDeliveredInTime() {
        return zalo == AttemptStatus.DELIVERED ? this : move(zalo, FallbackReason.NOT_DELIVERED_IN_TIME);
    }

    /** The OA's queue is held for quota and the message would wait: the fallback goes at once (Zalo is never tried). */
    public MessageState quotaHeld() {
        return zalo != null ? this : move(null, FallbackReason.OA_QUOTA_HELD);
    }

    /** eSMS took the SMS. */
    public MessageState smsSubmitted() {
        return sms == AttemptStatus.PENDING ? withSms(AttemptStatus.SUBMITTED) : this;
    }

    /** eSMS refused the SMS (or its retries ran out): the SMS attempt is FAILED. */
    public MessageState smsFailed() {
        return sms == null || sms.isFinal() ? this : withSms(AttemptStatus.FAILED);
    }

    /** No final report about the SMS within the wait: the SMS attempt is UNCONFIRMED. */
    public MessageState smsWaitOver() {
        return sms == AttemptStatus.SUBMITTED || sms == AttemptStatus.SENT ? withSms(AttemptStatus.UNCONFIRMED) : this;
    }

    /** A report about the SMS (its eSMS callback): forward only. */
    public MessageState smsReport(MessageTransitions.Report report) {
        if (sms == null) {
            return this;
        }
        return withSms(MessageTransitions.next(sms == AttemptStatus.PENDING ? AttemptStatus.SUBMITTED : sms, report));
    }

    /** Whether the SMS was decided now, by the move from {@code before} to this. */
    public boolean fellBackSince(MessageState before) {
        return before.sms == null && sms == AttemptStatus.PENDING;
    }

    /** The channel that delivered, or the one in flight: zalo, sms, or null before anything left. */
    public String channel() {
        if (sms == null || zalo == AttemptStatus.DELIVERED) {
            return zalo == null && sms == null ? null : "zalo";
        }
        return "sms";
    }

    /**
     * The Zalo attempt at {@code next}, and the SMS decided for {@code why} (when not null) if the message asked for one
     * and none was decided yet: once, ever. The status is derived from both together.
     */
    private MessageState move(AttemptStatus next, FallbackReason why) {
        boolean fallsBack = why != null && fallback && sms == null;
        return new MessageState(status, next, fallsBack ? AttemptStatus.PENDING : sms, fallsBack ? why : reason, fallback).derived();
    }

    private MessageState withZalo(AttemptStatus next) {
        return move(next, null);
    }

    private MessageState withSms(AttemptStatus next) {
        return new MessageState(status, zalo, next, reason, fallback).derived();
    }

    /** The message's status from its attempts, never moving back. */
    private MessageState derived() {
        MessageStatus next = derive();
        if (MessageTransitions.FINAL.contains(status) || MessageTransitions.rank(next) < MessageTransitions.rank(status)) {
            return this;
        }
        return new MessageState(next, zalo, sms, reason, fallback);
    }

    private MessageStatus derive() {
        if (zalo == AttemptStatus.DELIVERED || sms == AttemptStatus.DELIVERED) {
            return MessageStatus.DELIVERED;
        }
        if (sms == null) {
            return zalo == null ? status : MessageStatus.valueOf(zalo.name());
        }
        if (sms != AttemptStatus.FAILED && sms != AttemptStatus.UNCONFIRMED) {
            // A fallback in flight: sent on when either channel has sent it, otherwise submitted.
            return zalo == AttemptStatus.SENT || sms == AttemptStatus.SENT ? MessageStatus.SENT : MessageStatus.SUBMITTED;
        }
        // The SMS ended without delivering: Zalo's attempt decides while it is still out.
        if (zalo == AttemptStatus.SUBMITTED || zalo == AttemptStatus.SENT) {
            return MessageStatus.valueOf(zalo.name());
        }
        // Both ended: failed when both failed (or Zalo was never tried), else nobody can tell.
        boolean zaloFailed = zalo == null || zalo == AttemptStatus.FAILED;
        return zaloFailed && sms == AttemptStatus.FAILED ? MessageStatus.FAILED : MessageStatus.UNCONFIRMED;
    }
}
