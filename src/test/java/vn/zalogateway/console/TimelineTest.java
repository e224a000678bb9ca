package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** The timeline's words, by table: what a callback told apart from whether it arrived, and each receipt on its channel. */
class TimelineTest {

    static final Instant AT = Instant.parse("2026-12-02T14:05:09Z"); // 21:05:09 in Asia/Ho_Chi_Minh

    @Test
    void aCallbackNamesTheStatusItCarriedAndApartWhetherItReachedTheConsumer() {
        assertThat(Timeline.callbackTitle(callback("message.status_changed", "SUBMITTED", null, "DELIVERED")))
                .isEqualTo("callback #1 message.status_changed → SUBMITTED");
        assertThat(Timeline.callbackDelivery(callback("message.status_changed", "SUBMITTED", null, "DELIVERED")))
                .isEqualTo("delivered to shop-a at 2026-12-02 21:05:09 · 1 attempt(s)");
        assertThat(Timeline.callbackTitle(callback("message.fallback_sent", "SUBMITTED", "oa_quota_held", "PENDING")))
                .isEqualTo("callback #1 message.fallback_sent → SMS (oa_quota_held)");
        assertThat(Timeline.callbackDelivery(callback("message.fallback_sent", "SUBMITTED", "oa_quota_held", "PENDING")))
                .isEqualTo("not yet delivered to shop-a (PENDING, next try 2026-12-02 21:05:09) · 1 attempt(s)");
        assertThat(Timeline.callbackDelivery(callback("message.status_changed", "CANCELLED", null, "FAILED")))
                .isEqualTo("not delivered to shop-a (FAILED: gave up) · 1 attempt(s)");
        // an event recorded before it carried a status (or a journey's) still reads
        assertThat(Timeline.callbackTitle(callback("journey.status_changed", null, null, "PENDING")))
                .isEqualTo("callback #1 journey.status_changed");
    }

    @Test
    void receiptsGoOnTheirChannelAndOnlyNxcloudsCodesAreExplained() {
        var message = new ConsoleQueries.MessageDetail(new ConsoleQueries.MessageRow(UUID.randomUUID(), "transaction", "shop-a", 1L, "42",
                "transaction_order", "DELIVERED", null, null, "DELIVERED", "sms", AT, AT), "VI", "{}", false, null, "smsid-1", null, 1,
                AT, null, null, null, null, null, "FAILED", null, null, new ConsoleQueries.SmsAttempt("84******678", "text", "SHOP-A",
                        false, 1, null, "DELIVERED", "zalo_failed", "sms-1", null, null, null, AT.plusSeconds(60), 1, "350 VND"),
                null, null, null, null, null, null, null, null, null);
        List<Timeline.Event> events = Timeline.of(message, null, List.of(
                receipt("nxcloud", "failed", 17004, false, AT.plusSeconds(30)),
                receipt("esms", "DELIVERED", 5, true, AT.plusSeconds(90))), List.of(), List.of());
        assertThat(events).extracting(Timeline.Event::channel, Timeline.Event::title, Timeline.Event::detail).containsExactly(
                org.assertj.core.groups.Tuple.tuple(null, "ACCEPTED", "transaction · transaction_order"),
                org.assertj.core.groups.Tuple.tuple("zalo", "eSMS SendZaloFollowerMessage", "SMSID smsid-1 · 1 attempt(s)"),
                org.assertj.core.groups.Tuple.tuple("zalo", "nxcloud failed", "code 17004: Zalo refused to send (see the Zalo response)"),
                org.assertj.core.groups.Tuple.tuple("sms", "eSMS SendMultipleMessage_V4",
                        "fallback (zalo_failed) · 1 part(s) · SMSID sms-1 · 1 attempt(s)"),
                org.assertj.core.groups.Tuple.tuple("sms", "esms DELIVERED", "SendStatus 5"));
    }

    static ConsoleQueries.CallbackRow callback(String type, String eventStatus, String reason, String status) {
        return new ConsoleQueries.CallbackRow(UUID.randomUUID(), "shop-a", type, UUID.randomUUID(), 1, eventStatus, reason, status, 1,
                null, null, status.equals("PENDING") ? AT : null, AT, status.equals("DELIVERED") ? AT : null);
    }

    static ConsoleQueries.ReceiptRow receipt(String provider, String status, int code, boolean sms, Instant at) {
        return new ConsoleQueries.ReceiptRow(1, provider, true, null, status, code, null, null, null, null, null, null, null, null, null,
                null, "{}", true, sms, at);
    }
}
