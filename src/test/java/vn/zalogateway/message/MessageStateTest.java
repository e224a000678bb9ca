package vn.zalogateway.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import vn.zalogateway.message.MessageTransitions.Report;

/** A message's life across Zalo and its SMS fallback (contract v1.3), rule by rule. */
class MessageStateTest {

    static MessageState submitted(boolean fallback) {
        return MessageState.waiting(MessageStatus.ACCEPTED, fallback).zaloSubmitted();
    }

    @Test
    void withoutAFallbackTheMessageIsItsZaloAttempt() {
        MessageState sent = submitted(false).zaloReport(Report.SENT);
        assertThat(sent.status()).isEqualTo(MessageStatus.SENT);
        assertThat(sent.zaloReport(Report.FAILED).status()).isEqualTo(MessageStatus.FAILED);
        assertThat(sent.zaloReport(Report.FAILED).sms()).as("no fallback asked for").isNull();
        assertThat(submitted(false).waitOver().status()).isEqualTo(MessageStatus.UNCONFIRMED);
        assertThat(sent.waitOver().status()).as("sent on, its final report never came").isEqualTo(MessageStatus.UNCONFIRMED);
        assertThat(sent.waitOver().zaloReport(Report.SENT).status()).as("a late SENT adds nothing").isEqualTo(MessageStatus.UNCONFIRMED);
        assertThat(sent.waitOver().zaloReport(Report.DELIVERED).status()).as("a late final report moves it on")
                .isEqualTo(MessageStatus.DELIVERED);
        assertThat(submitted(true).zaloReport(Report.SENT).waitOver().sms()).as("its fallback goes").isEqualTo(AttemptStatus.PENDING);
        assertThat(MessageState.waiting(MessageStatus.ACCEPTED, false).zaloFailed().status()).isEqualTo(MessageStatus.FAILED);
        assertThat(submitted(false).channel()).isEqualTo("zalo");
        assertThat(MessageState.waiting(MessageStatus.ACCEPTED, false).channel()).isNull();
    }

    @Test
    void aZaloFailureSendsTheSmsAndTheMessageStaysSubmittedMeanwhile() {
        MessageState before = submitted(true);
        MessageState failed = before.zaloReport(Report.FAILED);
        assertThat(failed.zalo()).isEqualTo(AttemptStatus.FAILED);
        assertThat(failed.sms()).isEqualTo(AttemptStatus.PENDING);
        assertThat(failed.reason()).isEqualTo(FallbackReason.ZALO_FAILED);
        assertThat(failed.status()).as("never FAILED in between").isEqualTo(MessageStatus.SUBMITTED);
        assertThat(failed.channel()).isEqualTo("sms");
        assertThat(failed.fellBackSince(before)).isTrue();

        assertThat(failed.smsSubmitted().smsReport(Report.SENT).status()).isEqualTo(MessageStatus.SENT);
        assertThat(failed.smsSubmitted().smsReport(Report.DELIVERED).status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(failed.smsSubmitted().smsReport(Report.FAILED).status()).as("both failed").isEqualTo(MessageStatus.FAILED);
        assertThat(failed.smsFailed().status()).as("eSMS refused the SMS").isEqualTo(MessageStatus.FAILED);
    }

    @Test
    void aFailureBeforeAnyProviderTookItSendsTheSmsToo() {
        MessageState refused = MessageState.waiting(MessageStatus.ACCEPTED, true).zaloFailed();
        assertThat(refused.sms()).isEqualTo(AttemptStatus.PENDING);
        assertThat(refused.status()).isEqualTo(MessageStatus.SUBMITTED);
    }

    @Test
    void theSmsGoesOnceEverWhateverComesLater() {
        MessageState fellBack = submitted(true).zaloReport(Report.FAILED).smsSubmitted();
        for (MessageState later : new MessageState[] { fellBack.waitOver(), fellBack.notDeliveredInTime(), fellBack.quotaHeld(),
                fellBack.zaloReport(Report.FAILED), fellBack.zaloFailed() }) {
            assertThat(later.sms()).isEqualTo(AttemptStatus.SUBMITTED);
            assertThat(later.fellBackSince(fellBack)).isFalse();
            assertThat(later.reason()).isEqualTo(FallbackReason.ZALO_FAILED);
        }
    }

    @Test
    void notDeliveredInTimeSendsTheSmsUnlessZaloDelivered() {
        MessageState sent = submitted(true).zaloReport(Report.SENT);
        MessageState late = sent.notDeliveredInTime();
        assertThat(late.sms()).isEqualTo(AttemptStatus.PENDING);
        assertThat(late.reason()).isEqualTo(FallbackReason.NOT_DELIVERED_IN_TIME);
        assertThat(late.status()).as("forward only: SENT stays").isEqualTo(MessageStatus.SENT);
        assertThat(sent.zaloReport(Report.DELIVERED).notDeliveredInTime().sms()).isNull();

        // Zalo delivers after all while the SMS is out: delivered, by Zalo; the SMS's own report is still kept.
        MessageState both = late.smsSubmitted().zaloReport(Report.DELIVERED);
        assertThat(both.status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(both.channel()).isEqualTo("zalo");
        assertThat(both.smsReport(Report.FAILED).status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(both.smsReport(Report.FAILED).sms()).isEqualTo(AttemptStatus.FAILED);

        // The SMS failed while Zalo is still out: Zalo decides.
        MessageState smsFailed = late.smsFailed();
        assertThat(smsFailed.status()).isEqualTo(MessageStatus.SENT);
        assertThat(smsFailed.zaloReport(Report.DELIVERED).status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(smsFailed.zaloReport(Report.FAILED).status()).isEqualTo(MessageStatus.FAILED);
    }

    @Test
    void anUnconfirmedZaloAttemptSendsTheSms() {
        MessageState unconfirmed = submitted(true).waitOver();
        assertThat(unconfirmed.zalo()).isEqualTo(AttemptStatus.UNCONFIRMED);
        assertThat(unconfirmed.reason()).isEqualTo(FallbackReason.UNCONFIRMED);
        assertThat(unconfirmed.status()).isEqualTo(MessageStatus.SUBMITTED);
        assertThat(unconfirmed.smsFailed().status()).as("nothing can tell the end of Zalo's").isEqualTo(MessageStatus.UNCONFIRMED);
        assertThat(unconfirmed.smsSubmitted().smsReport(Report.DELIVERED).status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(submitted(true).zaloReport(Report.SENT).waitOver().zalo()).as("a SENT attempt waits for its final report too")
                .isEqualTo(AttemptStatus.UNCONFIRMED);
    }

    @Test
    void aQuotaHoldSendsTheSmsAtOnceAndZaloIsNeverTried() {
        MessageState held = MessageState.waiting(MessageStatus.ACCEPTED, true).quotaHeld();
        assertThat(held.zalo()).isNull();
        assertThat(held.sms()).isEqualTo(AttemptStatus.PENDING);
        assertThat(held.reason()).isEqualTo(FallbackReason.OA_QUOTA_HELD);
        assertThat(held.status()).isEqualTo(MessageStatus.SUBMITTED);
        assertThat(held.smsFailed().status()).isEqualTo(MessageStatus.FAILED);
        assertThat(MessageState.waiting(MessageStatus.ACCEPTED, false).quotaHeld().sms()).as("no fallback: it waits").isNull();
    }

    @Test
    void anSmsThatNeverReportsEndsUnconfirmedUnlessZaloIsStillOut() {
        MessageState smsOut = MessageState.waiting(MessageStatus.ACCEPTED, true).zaloFailed().smsSubmitted();
        assertThat(smsOut.smsWaitOver().sms()).isEqualTo(AttemptStatus.UNCONFIRMED);
        assertThat(smsOut.smsWaitOver().status()).isEqualTo(MessageStatus.UNCONFIRMED);
        assertThat(smsOut.smsWaitOver().smsReport(Report.DELIVERED).status()).as("a late report still moves it")
                .isEqualTo(MessageStatus.DELIVERED);
        MessageState zaloOut = submitted(true).zaloReport(Report.SENT).notDeliveredInTime().smsSubmitted();
        assertThat(zaloOut.smsWaitOver().status()).isEqualTo(MessageStatus.SENT);
    }

    @Test
    void finalStatesStayFinal() {
        MessageState delivered = submitted(true).zaloReport(Report.DELIVERED);
        assertThat(delivered.zaloReport(Report.FAILED).status()).isEqualTo(MessageStatus.DELIVERED);
        MessageState failed = submitted(false).zaloReport(Report.FAILED);
        assertThat(failed.zaloReport(Report.DELIVERED).status()).isEqualTo(MessageStatus.FAILED);
        MessageState cancelled = MessageState.waiting(MessageStatus.CANCELLED, true);
        assertThat(cancelled.zaloFailed().status()).isEqualTo(MessageStatus.CANCELLED);
    }
}
