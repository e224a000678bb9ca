package vn.zalogateway.message;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import vn.zalogateway.common.PhoneNumbers;
import vn.zalogateway.common.problem.Violation;

/**
 * The SMS a message falls back to when Zalo cannot reach the customer (contract v1.3): its phone (normalised),
 * text, brandname, whether it needs Unicode and in how many parts it goes, and {@code after}: how long the Zalo
 * attempt may take to be delivered (null: only a failure, an unconfirmed attempt or a quota hold sends it).
 */
public record Fallback(String phone, String text, String brandname, boolean unicode, int parts, Duration after) {

    static final Duration SHORTEST_AFTER = Duration.ofMinutes(1);
    static final Duration LONGEST_AFTER = Duration.ofHours(24);
    static final int LONGEST_BRANDNAME = 20;
    private static final Set<String> FIELDS = Set.of("sms", "after");
    private static final Set<String> SMS_FIELDS = Set.of("phone", "text", "brandname");

    /**
     * A {@code fallback} as a consumer writes it, every rule checked at once; null (with the violations added) when
     * it is none. {@code messagePhone} is a ZNS journey message's own phone (the SMS's when it names none), null for a
     * transaction message (whose recipient is a Zalo user id, no phone); {@code defaultBrandname} gateway.sms.brandname.
     */
    static Fallback read(JsonNode node, String messagePhone, String defaultBrandname, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isObject()) {
            violations.add(new Violation("fallback", "must be an object with sms (phone, text, brandname) and after"));
            return null;
        }
        int before = violations.size();
        MessageRequests.unknownFields(node, "fallback.", FIELDS, violations);
        JsonNode sms = node.get("sms");
        if (sms == null || !sms.isObject()) {
            violations.add(new Violation("fallback.sms", "is required: an object with text, and phone and brandname where needed"));
            // after is read all the same: every violation at once, not one per try.
            after(node.get("after"), violations);
            return null;
        }
        MessageRequests.unknownFields(sms, "fallback.sms.", SMS_FIELDS, violations);
        String text = text(sms.get("text"), violations);
        String phone = phone(sms.get("phone"), messagePhone, violations);
        String brandname = brandname(sms.get("brandname"), defaultBrandname, violations);
        Duration after = after(node.get("after"), violations);
        if (violations.size() > before || text == null) {
            return null;
        }
        return new Fallback(phone, text, brandname, SmsText.unicode(text), SmsText.parts(text), after);
    }

    private static String text(JsonNode node, List<Violation> violations) {
        if (node == null || node.isNull() || !node.isTextual() || node.asText().isBlank()) {
            violations.add(new Violation("fallback.sms.text", "is required: the SMS's text"));
            return null;
        }
        String text = node.asText();
        int parts = SmsText.parts(text);
        if (parts > SmsText.MOST_PARTS) {
            violations.add(new Violation("fallback.sms.text", "needs " + parts + " SMS parts; at most " + SmsText.MOST_PARTS
                    + " (612 characters, or 268 with Vietnamese diacritics or any other character outside GSM-7)"));
            return null;
        }
        return text;
    }

    private static String phone(JsonNode node, String messagePhone, List<Violation> violations) {
        if (node == null || node.isNull()) {
            if (messagePhone == null) {
                violations.add(new Violation("fallback.sms.phone", "is required for a transaction message (a Zalo user id is no phone)"));
            }
            return messagePhone;
        }
        String phone = node.isTextual() ? PhoneNumbers.normalise(node.asText()).orElse(null) : null;
        if (phone == null) {
            violations.add(new Violation("fallback.sms.phone", "must be a Vietnamese mobile number: 0912345678, 84912345678 or +84912345678"));
        }
        return phone;
    }

    private static String brandname(JsonNode node, String defaultBrandname, List<Violation> violations) {
        if (node == null || node.isNull()) {
            if (defaultBrandname == null) {
                violations.add(new Violation("fallback.sms.brandname", "is required: no gateway.sms.brandname is configured"));
            }
            return defaultBrandname;
        }
        String brandname = node.isTextual() ? node.asText() : "";
        if (brandname.isBlank() || brandname.length() > LONGEST_BRANDNAME || !brandname.matches("[A-Za-z0-9 ._-]+")) {
            violations.add(new Violation("fallback.sms.brandname", "must be a registered brandname: 1 to " + LONGEST_BRANDNAME
                    + " letters, digits, spaces, dots, dashes or underscores"));
        }
        return brandname;
    }

    private static Duration after(JsonNode node, List<Violation> violations) {
        if (node == null || node.isNull()) {
            return null;
        }
        Duration after = null;
        if (node.isTextual()) {
            try {
                after = Duration.parse(node.asText());
            } catch (java.time.format.DateTimeParseException notADuration) {
                after = null;
            }
        }
        if (after == null || after.compareTo(SHORTEST_AFTER) < 0 || after.compareTo(LONGEST_AFTER) > 0) {
            violations.add(new Violation("fallback.after", "must be an ISO-8601 duration from PT1M to PT24H, e.g. PT15M"));
            return null;
        }
        return after;
    }
}
