package vn.zalogateway.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import vn.zalogateway.journey.JourneyStatus;
import vn.zalogateway.message.MessageStatus;
import vn.zalogateway.provider.nxcloud.NxcloudCodes;

class TransitionsTest {

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "SUBMITTED, SUCCESS, SENT",
            "SUBMITTED, DELIVERED, DELIVERED",
            "SUBMITTED, FAILED, FAILED",
            "SENT, SUCCESS, SENT",
            "SENT, DELIVERED, DELIVERED",
            "SENT, FAILED, FAILED",
            "DELIVERED, SUCCESS, DELIVERED",
            "DELIVERED, DELIVERED, DELIVERED",
            "DELIVERED, FAILED, DELIVERED",
            "FAILED, SUCCESS, FAILED",
            "FAILED, DELIVERED, FAILED",
            "FAILED, FAILED, FAILED",
            "ACCEPTED, SUCCESS, SENT",
            "SCHEDULED, DELIVERED, DELIVERED",
            "SUBMITTED, JOURNEY_ACKNOWLEDGED, SUBMITTED",
            "SENT, JOURNEY_TIME_OUT, SENT" })
    void messagesOnlyMoveForward(MessageStatus current, ReceiptStatus receipt, MessageStatus next) {
        assertThat(Transitions.message(current, receipt)).isEqualTo(next);
    }

    @ParameterizedTest(name = "{0} + {1} -> {2}")
    @CsvSource({
            "NEW, JOURNEY_ACKNOWLEDGED, ACKNOWLEDGED",
            "ENABLED, JOURNEY_ACKNOWLEDGED, ACKNOWLEDGED",
            "DISABLED, JOURNEY_ACKNOWLEDGED, ACKNOWLEDGED",
            "NEW, JOURNEY_TIME_OUT, TIMED_OUT",
            "ENABLED, JOURNEY_TIME_OUT, TIMED_OUT",
            "ACKNOWLEDGED, JOURNEY_TIME_OUT, ACKNOWLEDGED",
            "TIMED_OUT, JOURNEY_ACKNOWLEDGED, TIMED_OUT",
            "ACKNOWLEDGED, JOURNEY_ACKNOWLEDGED, ACKNOWLEDGED",
            "PENDING, JOURNEY_ACKNOWLEDGED, PENDING",
            "FAILED, JOURNEY_TIME_OUT, FAILED",
            "NEW, SUCCESS, NEW" })
    void journeysOnlyMoveForward(JourneyStatus current, ReceiptStatus receipt, JourneyStatus next) {
        assertThat(Transitions.journey(current, receipt)).isEqualTo(next);
    }

    @ParameterizedTest
    @EnumSource(MessageStatus.class)
    void noReceiptOrderCanUndoAFinalState(MessageStatus start) {
        for (ReceiptStatus first : ReceiptStatus.values()) {
            for (ReceiptStatus second : ReceiptStatus.values()) {
                MessageStatus afterFirst = Transitions.message(start, first);
                MessageStatus afterBoth = Transitions.message(afterFirst, second);
                if (afterFirst == MessageStatus.DELIVERED || afterFirst == MessageStatus.FAILED) {
                    assertThat(afterBoth).isEqualTo(afterFirst);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({ "0", "1100", "1102", "9000", "9001", "9002", "9003", "9004", "9005", "9999", "17003", "17004", "17005",
            "17006", "17007" })
    void everyCodeOfTheTableHasAMeaning(int code) {
        assertThat(NxcloudCodes.meaning(code)).isNotBlank();
        assertThat(NxcloudCodes.meaning(4242)).isNull();
    }
}
