package vn.zalogateway.message;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import vn.zalogateway.common.Int64Ids;
import vn.zalogateway.common.PhoneNumbers;
import vn.zalogateway.common.ProviderTime;
import vn.zalogateway.common.SendWindow;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;
import vn.zalogateway.message.template.TransactionTemplateRules;
import vn.zalogateway.message.template.ZaloTemplatePayload;

/**
 * Reads a {@code POST /v1/messages} body as the consumer sent it: every field, every template rule,
 * every violation at once with its path. Plain code, so it is tested without a server.
 */
public final class MessageRequests {

    public static final int LONGEST_EXT = 1000;
    static final Duration FURTHEST_SEND_AT = Duration.ofDays(365);
    private static final Pattern USER_ID = Pattern.compile("[0-9]{1,32}");

    private MessageRequests() {
    }

    /**
     * Every field a message body may have (contract v1.3: any other is refused, so that a consumer never believes a
     * feature is on when this gateway does not know it). Fields of the other kind are refused with their own words.
     * {@code template} (a stored template) is replaced by what it names before these rules read the body
     * ({@link MessageIntake}); one left here is refused below.
     */
    static final Set<String> FIELDS = Set.of("kind", "oa_id", "user_id", "template_type", "language", "elements", "buttons",
            "sandbox", "send_at", "ext", "journey", "journey_id", "phone", "template_id", "template_data", "fallback", "send_window",
            "template");

    /** The request, or a 400 problem listing every violation; a fallback needs a brandname: the message's or gateway.sms.brandname. */
    public static NewMessage read(JsonNode body, ZoneId zone, Instant now) {
        return read(body, zone, now, null);
    }

    /** The request, or a 400 problem listing every violation; {@code defaultBrandname}: gateway.sms.brandname, or null. */
    public static NewMessage read(JsonNode body, ZoneId zone, Instant now, String defaultBrandname) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("body", "must be a JSON object");
        }
        List<Violation> violations = new ArrayList<>();
        MessageKind kind = MessageKind.TRANSACTION;
        JsonNode kindNode = body.get("kind");
        if (kindNode != null && !kindNode.isNull()) {
            kind = kindNode.isTextual() ? MessageKind.fromWireName(kindNode.asText()).orElse(null) : null;
            if (kind == null) {
                throw ProblemException.invalid("kind", MessageKind.MESSAGE);
            }
        }
        long oaId = readOaId(body.get("oa_id"), violations);
        Instant sendAt = readSendAt(body.get("send_at"), zone, now, violations);
        JsonNode ext = body.get("ext");
        if (ext != null && !ext.isNull() && (!ext.isTextual() || ext.asText().length() > LONGEST_EXT)) {
            violations.add(new Violation("ext", "must be a string of at most " + LONGEST_EXT + " characters"));
        }
        String extText = ext == null || ext.isNull() ? null : ext.asText();
        unknownFields(body, "", FIELDS, violations);
        if (present(body, "template")) {
            violations.add(new Violation("template", "names a stored template, which the API fills in before these rules "
                    + "(POST /v1/messages, /validate, batches): send the message there"));
        }
        NewMessage message = kind == MessageKind.TRANSACTION
                ? transaction(body, oaId, sendAt, extText, violations)
                : ZnsJourneyRequests.read(body, oaId, sendAt, extText, violations);
        String messagePhone = kind == MessageKind.TRANSACTION || !present(body, "phone") || !body.get("phone").isTextual() ? null
                : PhoneNumbers.normalise(body.get("phone").asText()).orElse(null);
        Fallback fallback = Fallback.read(body.get("fallback"), kind == MessageKind.TRANSACTION ? null
                : messagePhone == null ? "" : messagePhone, defaultBrandname, violations);
        SendWindow window = SendWindow.read(body.get("send_window"), "send_window", violations);
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        return message.with(fallback, window);
    }

    /** A violation for each field of {@code node} that is not one of {@code known}, named under {@code prefix}. */
    static void unknownFields(JsonNode node, String prefix, Set<String> known, List<Violation> violations) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                violations.add(new Violation(prefix + name, "is not a field this gateway knows (an unknown field is refused, "
                        + "not ignored: check its spelling and the API version)"));
            }
        }
    }

    /** A transaction message: the template's every rule, its recipient, and no journey (v1.2). */
    private static NewMessage transaction(JsonNode body, long oaId, Instant sendAt, String ext, List<Violation> violations) {
        violations.addAll(TransactionTemplateRules.check(body));
        JsonNode user = body.get("user_id");
        if (user == null || user.isNull()) {
            violations.add(new Violation("user_id", "is required"));
        } else if (!(user.isTextual() || user.isIntegralNumber()) || !USER_ID.matcher(user.asText()).matches()) {
            violations.add(new Violation("user_id", "must be the recipient's Zalo user id (digits)"));
        }
        JsonNode sandbox = body.get("sandbox");
        if (sandbox != null && !sandbox.isNull() && !sandbox.isBoolean()) {
            violations.add(new Violation("sandbox", "must be true or false"));
        }
        for (String field : List.of("journey", "journey_id")) {
            if (present(body, field)) {
                violations.add(new Violation(field, "a transaction message carries no journey token: send the message with "
                        + "\"kind\": \"zns_journey\", a template_id and template_data to use a journey"));
            }
        }
        for (String field : ZnsJourneyRequests.OWN_FIELDS) {
            if (present(body, field)) {
                violations.add(new Violation(field, "belongs to zns_journey messages; a transaction message has none"));
            }
        }
        if (!violations.isEmpty()) {
            return null;
        }
        return new NewMessage(MessageKind.TRANSACTION, oaId, user.asText(), body.get("template_type").asText(),
                body.get("language").asText(), ZaloTemplatePayload.of(body).toString(), null, null, null,
                sandbox != null && sandbox.asBoolean(), sendAt, ext, null, null);
    }

    static boolean present(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value != null && !value.isNull();
    }

    /** The OA id, or 0 with a violation. */
    private static long readOaId(JsonNode oa, List<Violation> violations) {
        if (oa == null || oa.isNull()) {
            violations.add(new Violation("oa_id", "is required"));
        } else if (!(oa.isTextual() || oa.isIntegralNumber()) || Int64Ids.parse(oa.asText()).isEmpty()) {
            violations.add(new Violation("oa_id", "must be a positive int64 in decimal digits"));
        } else {
            return Int64Ids.parse(oa.asText()).getAsLong();
        }
        return 0;
    }

    static Instant readSendAt(JsonNode value, ZoneId zone, Instant now, List<Violation> violations) {
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty())) {
            return null;
        }
        Instant sendAt = value.isTextual() ? ProviderTime.read(value.asText(), zone) : null;
        if (sendAt == null) {
            violations.add(new Violation("send_at", "must be ISO-8601 with an offset (2026-12-01T09:00:00+07:00) "
                    + "or yyyy-MM-dd HH:mm:ss in " + zone));
        } else if (sendAt.isAfter(now.plus(FURTHEST_SEND_AT))) {
            violations.add(new Violation("send_at", "must be within a year from now"));
        }
        return sendAt;
    }

    /**
     * What an Idempotency-Key is bound to: the body as the consumer sent it (a stored template's name, not its
     * expansion), keys sorted. Made only for a request that has a key: it costs as much as reading a message's rules.
     */
    public static String fingerprint(JsonNode body) {
        return canonical(body).toString();
    }

    /** The body with its keys sorted at every level: two spellings of one request hash the same. */
    private static JsonNode canonical(JsonNode node) {
        if (node.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                sorted.put(field.getKey(), canonical(field.getValue()));
            }
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            sorted.forEach(copy::set);
            return copy;
        }
        if (node.isArray()) {
            var copy = JsonNodeFactory.instance.arrayNode();
            node.forEach(element -> copy.add(canonical(element)));
            return copy;
        }
        return node;
    }
}
