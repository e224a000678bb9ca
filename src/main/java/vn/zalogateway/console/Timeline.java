package vn.zalogateway.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import vn.zalogateway.provider.nxcloud.NxcloudCodes;

/**
 * A message's life in the order it happened: accepted, its journey, each channel's attempt (the Zalo send, and the SMS
 * it fell back to), each receipt (with what its code means) on its channel, and each callback to the consumer, with
 * what it told and whether it reached the consumer. Only the gateway sees the whole chain.
 */
public final class Timeline {

    /**
     * One step; kind is accepted, journey, provider, receipt, callback or cancelled; channel zalo, sms, or null for the
     * message as a whole; raw a provider's body where there is one.
     */
    public record Event(Instant at, String kind, String channel, String title, String detail, String raw) {
    }

    static final String ZALO = "zalo";
    static final String SMS = "sms";

    private Timeline() {
    }

    public static List<Event> of(ConsoleQueries.MessageDetail message, ConsoleQueries.JourneyRow journey,
            List<ConsoleQueries.ReceiptRow> receipts, List<ConsoleQueries.CallbackRow> callbacks,
            List<ConsoleQueries.CallbackAttempt> attempts) {
        List<Event> events = new ArrayList<>();
        var row = message.row();
        events.add(new Event(row.createdAt(), "accepted", null, "ACCEPTED",
                (message.sendAt() != null ? "send_at " + ConsoleFormat.local(message.sendAt()) + " · " : "") + row.kind()
                        + (row.templateType() == null ? "" : " · " + row.templateType()), null));
        if (journey != null) {
            events.add(new Event(journey.createdAt(), "journey", ZALO, "journey " + journey.status(),
                    journey.tokenType() + (journey.journeyId() == null ? "" : " · " + journey.journeyId())
                            + (journey.errorCode() == null ? "" : " · " + journey.errorCode() + " " + nullToEmpty(journey.errorMessage())),
                    null));
        }
        if (message.submittedAt() != null) {
            String provider = row.kind().equals("zns_journey") ? "eTelecom SendZNSJourney" : "eSMS SendZaloFollowerMessage";
            events.add(new Event(message.submittedAt(), "provider", ZALO, provider,
                    (message.providerMessageId() == null ? "" : "SMSID " + message.providerMessageId() + " · ")
                            + message.attempts() + " attempt(s)", null));
        } else if (row.errorCode() != null) {
            events.add(new Event(row.updatedAt(), "provider", ZALO, "FAILED", row.errorCode() + " " + nullToEmpty(message.errorMessage())
                    + " · " + message.attempts() + " attempt(s)", null));
        }
        sms(message, events);
        if ("CANCELLED".equals(row.status())) {
            events.add(new Event(row.updatedAt(), "cancelled", null, "CANCELLED", "taken back by its consumer before it was sent: "
                    + "nothing was sent", null));
        }
        for (var receipt : receipts) {
            events.add(receipt(receipt));
        }
        for (var callback : callbacks) {
            events.add(new Event(callback.createdAt(), "callback", null, callbackTitle(callback), callbackDelivery(callback), null));
        }
        for (var attempt : attempts) {
            String answer = attempt.statusCode() == null ? "no answer" : "HTTP " + attempt.statusCode();
            events.add(new Event(attempt.answeredAt(), "callback", null, "callback #" + attempt.sequence() + " attempt " + attempt.attempt(),
                    answer + (attempt.error() == null ? "" : " · " + attempt.error()), null));
        }
        events.sort(Comparator.comparing(Event::at));
        return events;
    }

    /**
     * The SMS attempt: eSMS took it (at its submission), or it ended before (refused, retries out) or still waits for
     * eSMS (PENDING), at the message's last change.
     */
    private static void sms(ConsoleQueries.MessageDetail message, List<Event> events) {
        var sms = message.sms();
        if (sms == null || sms.status() == null) {
            return;
        }
        String why = "fallback (" + sms.reason() + ") · " + (sms.parts() == null ? "" : sms.parts() + " part(s) · ");
        if (sms.submittedAt() != null) {
            events.add(new Event(sms.submittedAt(), "provider", SMS, "eSMS SendMultipleMessage_V4",
                    why + (sms.providerMessageId() == null ? "" : "SMSID " + sms.providerMessageId() + " · ") + sms.attempts()
                            + " attempt(s)", null));
        } else if (sms.errorCode() != null) {
            events.add(new Event(message.row().updatedAt(), "provider", SMS, "FAILED", why + sms.errorCode() + " "
                    + nullToEmpty(sms.errorMessage()) + " · " + sms.attempts() + " attempt(s)", null));
        } else {
            events.add(new Event(message.row().updatedAt(), "provider", SMS, sms.status(), why + "waiting for eSMS", null));
        }
    }

    /** A receipt on its channel: NXCloud's code with its meaning, eSMS's SendStatus as it came. */
    private static Event receipt(ConsoleQueries.ReceiptRow receipt) {
        String code = "";
        if (receipt.code() != null) {
            String meaning = "nxcloud".equals(receipt.provider()) ? NxcloudCodes.meaning(receipt.code()) : null;
            code = ("esms".equals(receipt.provider()) ? "SendStatus " : "code ") + receipt.code() + (meaning == null ? "" : ": " + meaning);
        }
        String zalo = receipt.zaloError() == null ? "" : " · Zalo " + receipt.zaloError() + " " + nullToEmpty(receipt.zaloMessage());
        String cost = receipt.cost() == null ? "" : " · " + ConsoleFormat.plain(receipt.cost()) + " " + nullToEmpty(receipt.currency());
        return new Event(receipt.receivedAt(), "receipt", receipt.sms() ? SMS : ZALO, receipt.provider() + " " + nullToEmpty(receipt.status()),
                code + zalo + cost, receipt.rawBody());
    }

    /**
     * What the callback told: its event and the status it carried ({@code → SUBMITTED}), or for message.fallback_sent the
     * channel and why; never the callback's own delivery state, which reads as if the message had been delivered.
     */
    static String callbackTitle(ConsoleQueries.CallbackRow callback) {
        String told = callback.eventReason() != null ? "SMS (" + callback.eventReason() + ")" : callback.eventStatus();
        return "callback #" + callback.sequence() + " " + callback.eventType() + (told == null ? "" : " → " + told);
    }

    /** Whether and when the callback reached its consumer. */
    static String callbackDelivery(ConsoleQueries.CallbackRow callback) {
        String reached = switch (callback.status()) {
            case "DELIVERED" -> "delivered to " + callback.consumer()
                    + (callback.deliveredAt() == null ? "" : " at " + ConsoleFormat.local(callback.deliveredAt()));
            case "FAILED" -> "not delivered to " + callback.consumer() + " (FAILED: gave up)";
            default -> "not yet delivered to " + callback.consumer() + " (" + callback.status()
                    + (callback.nextAttemptAt() == null ? "" : ", next try " + ConsoleFormat.local(callback.nextAttemptAt())) + ")";
        };
        return reached + " · " + callback.attempts() + " attempt(s)";
    }

    /** What a provider's error code means, where the code tables say. */
    public static String meaning(String errorCode) {
        if (errorCode == null) {
            return null;
        }
        String digits = errorCode.replaceAll("[^0-9]", "");
        return digits.isEmpty() || digits.length() > 9 ? null : NxcloudCodes.meaning(Integer.valueOf(digits));
    }

    private static String nullToEmpty(String text) {
        return text == null ? "" : text;
    }
}
