package vn.zalogateway.console;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import vn.zalogateway.provider.nxcloud.NxcloudCodes;

/**
 * A message's life in the order it happened: accepted, its journey, the provider's answer, each receipt
 * (with what its code means) and each callback to the consumer. Only the gateway sees the whole chain.
 */
public final class Timeline {

    /** One step; kind is accepted, journey, provider, receipt or callback, raw a provider's body where there is one. */
    public record Event(Instant at, String kind, String title, String detail, String raw) {
    }

    private Timeline() {
    }

    public static List<Event> of(ConsoleQueries.MessageDetail message, ConsoleQueries.JourneyRow journey,
            List<ConsoleQueries.ReceiptRow> receipts, List<ConsoleQueries.CallbackRow> callbacks,
            List<ConsoleQueries.CallbackAttempt> attempts) {
        List<Event> events = new ArrayList<>();
        var row = message.row();
        events.add(new Event(row.createdAt(), "accepted", "ACCEPTED",
                (message.sendAt() != null ? "send_at " + ConsoleFormat.local(message.sendAt()) + " · " : "") + row.kind()
                        + (row.templateType() == null ? "" : " · " + row.templateType()), null));
        if (journey != null) {
            events.add(new Event(journey.createdAt(), "journey", "journey " + journey.status(),
                    journey.tokenType() + (journey.journeyId() == null ? "" : " · " + journey.journeyId())
                            + (journey.errorCode() == null ? "" : " · " + journey.errorCode() + " " + nullToEmpty(journey.errorMessage())),
                    null));
        }
        if (message.submittedAt() != null) {
            String provider = row.kind().equals("zns_journey") ? "eTelecom SendZNSJourney" : "eSMS SendZaloFollowerMessage";
            events.add(new Event(message.submittedAt(), "provider", provider,
                    (message.providerMessageId() == null ? "" : "SMSID " + message.providerMessageId() + " · ")
                            + message.attempts() + " attempt(s)", null));
        } else if (row.errorCode() != null) {
            events.add(new Event(row.updatedAt(), "provider", "FAILED", row.errorCode() + " " + nullToEmpty(message.errorMessage())
                    + " · " + message.attempts() + " attempt(s)", null));
        }
        for (var receipt : receipts) {
            String meaning = NxcloudCodes.meaning(receipt.code());
            String zalo = receipt.zaloError() == null ? "" : " · Zalo " + receipt.zaloError() + " " + nullToEmpty(receipt.zaloMessage());
            String cost = receipt.cost() == null ? "" : " · " + ConsoleFormat.plain(receipt.cost()) + " " + nullToEmpty(receipt.currency());
            events.add(new Event(receipt.receivedAt(), "receipt", receipt.provider() + " " + nullToEmpty(receipt.status()),
                    (receipt.code() == null ? "" : "code " + receipt.code() + (meaning == null ? "" : ": " + meaning)) + zalo + cost,
                    receipt.rawBody()));
        }
        for (var callback : callbacks) {
            events.add(new Event(callback.createdAt(), "callback", "callback #" + callback.sequence() + " " + callback.eventType(),
                    callback.consumer() + " · " + callback.status() + " · " + callback.attempts() + " attempt(s)", null));
        }
        for (var attempt : attempts) {
            String answer = attempt.statusCode() == null ? "no answer" : "HTTP " + attempt.statusCode();
            events.add(new Event(attempt.answeredAt(), "callback", "callback #" + attempt.sequence() + " attempt " + attempt.attempt(),
                    answer + (attempt.error() == null ? "" : " · " + attempt.error()), null));
        }
        events.sort(Comparator.comparing(Event::at));
        return events;
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
