package vn.zalogateway.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import vn.zalogateway.journey.JourneyStatus;
import vn.zalogateway.journey.JourneyTransitions;
import vn.zalogateway.message.MessageTransitions.Report;

/** The state machines of messages and journeys: forward only, whatever order reports come in. */
class MessageTransitionsTest {

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "SUBMITTED, SENT, SENT",
            "SUBMITTED, DELIVERED, DELIVERED",
            "SUBMITTED, FAILED, FAILED",
            "SENT, SENT, SENT",
            "SENT, DELIVERED, DELIVERED",
            "SENT, FAILED, FAILED",
            "DELIVERED, SENT, DELIVERED",
            "DELIVERED, DELIVERED, DELIVERED",
            "DELIVERED, FAILED, DELIVERED",
            "FAILED, SENT, FAILED",
            "FAILED, DELIVERED, FAILED",
            "FAILED, FAILED, FAILED",
            "ACCEPTED, SENT, SENT",
            "SCHEDULED, DELIVERED, DELIVERED",
            "UNCONFIRMED, SENT, UNCONFIRMED",
            "UNCONFIRMED, DELIVERED, DELIVERED",
            "UNCONFIRMED, FAILED, FAILED",
            "SUBMITTED, IN_PROGRESS, SUBMITTED",
            "SENT, IN_PROGRESS, SENT" })
    void messagesOnlyMoveForward(MessageStatus current, Report report, MessageStatus next) {
        assertThat(MessageTransitions.next(current, report)).isEqualTo(next);
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "NEW, ACKNOWLEDGED, ACKNOWLEDGED",
            "ENABLED, ACKNOWLEDGED, ACKNOWLEDGED",
            "DISABLED, ACKNOWLEDGED, ACKNOWLEDGED",
            "UNKNOWN, ACKNOWLEDGED, ACKNOWLEDGED",
            "NEW, TIMED_OUT, TIMED_OUT",
            "ENABLED, TIMED_OUT, TIMED_OUT",
            "ACKNOWLEDGED, TIMED_OUT, ACKNOWLEDGED",
            "TIMED_OUT, ACKNOWLEDGED, TIMED_OUT",
            "ACKNOWLEDGED, ACKNOWLEDGED, ACKNOWLEDGED",
            "PENDING, ACKNOWLEDGED, PENDING",
            "FAILED, TIMED_OUT, FAILED" })
    void journeysOnlyMoveForward(JourneyStatus current, JourneyTransitions.Report report, JourneyStatus next) {
        assertThat(JourneyTransitions.next(current, report)).isEqualTo(next);
    }

    @ParameterizedTest
    @EnumSource(MessageStatus.class)
    void noReportOrderCanUndoAFinalState(MessageStatus start) {
        for (Report first : Report.values()) {
            for (Report second : Report.values()) {
                MessageStatus afterFirst = MessageTransitions.next(start, first);
                MessageStatus afterBoth = MessageTransitions.next(afterFirst, second);
                if (afterFirst == MessageStatus.DELIVERED || afterFirst == MessageStatus.FAILED) {
                    assertThat(afterBoth).isEqualTo(afterFirst);
                }
            }
        }
    }
}
