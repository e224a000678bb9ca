package vn.zalogateway.message;

import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;

import vn.zalogateway.common.Ids;
import vn.zalogateway.common.PhoneNumbers;
import vn.zalogateway.common.problem.UnknownFields;
import vn.zalogateway.common.problem.Violation;
import vn.zalogateway.journey.TokenType;

/**
 * Reads the {@code zns_journey} kind of {@code POST /v1/messages} (contract v1.2): a phone, a ZNS
 * template and its parameters, and exactly one of {@code journey} (create a token first) or
 * {@code journey_id} (ride on an existing one). Every violation is added, none thrown.
 */
final class ZnsJourneyRequests {

    /** Fields only a journey message has. */
    static final List<String> OWN_FIELDS = List.of("phone", "template_id", "template_data");
    /** Fields only a transaction message has: naming them on a journey message is a mistake worth telling. */
    static final List<String> TRANSACTION_FIELDS = List.of("user_id", "template_type", "language", "elements", "buttons");
    /** The fields of {@code journey}, the token to create. */
    static final List<String> JOURNEY_FIELDS = List.of("phone", "token_type");

    static final int MOST_PARAMETERS = 50;
    static final int LONGEST_PARAMETER_NAME = 100;
    static final int LONGEST_PARAMETER_VALUE = 1000;

    private ZnsJourneyRequests() {
    }

    /** The message, or null when a violation was added. */
    static NewMessage read(JsonNode body, long oaId, Instant sendAt, String ext, List<Violation> violations) {
        int before = violations.size();
        for (String field : TRANSACTION_FIELDS) {
            if (MessageRequests.present(body, field)) {
                violations.add(new Violation(field, "belongs to transaction messages; a zns_journey message has phone, "
                        + "template_id and template_data"));
            }
        }
        JsonNode sandbox = body.get("sandbox");
        if (sandbox != null && !sandbox.isNull() && !(sandbox.isBoolean() && !sandbox.asBoolean())) {
            violations.add(new Violation("sandbox", "eTelecom has no sandbox for ZNS journey messages: leave it out"));
        }
        String phone = phone(body.get("phone"), "phone", violations);
        Integer templateId = templateId(body.get("template_id"), violations);
        String templateData = templateData(body.get("template_data"), violations);

        UUID journeyId = null;
        TokenType tokenType = null;
        boolean linked = MessageRequests.present(body, "journey_id");
        boolean creating = MessageRequests.present(body, "journey");
        if (linked == creating) {
            violations.add(new Violation(linked ? "journey" : "journey_id", linked
                    ? "give either journey (to create a token) or journey_id (to use one), not both"
                    : "is required, or journey to create a token for this phone first"));
        }
        if (linked) {
            JsonNode id = body.get("journey_id");
            journeyId = id.isTextual() ? Ids.parseOrNull(id.asText()) : null;
            if (journeyId == null) {
                violations.add(new Violation("journey_id", "must be the id of a journey this gateway created"));
            }
        }
        if (creating) {
            tokenType = tokenType(body.get("journey"), phone, violations);
        }
        if (violations.size() > before) {
            return null;
        }
        return new NewMessage(MessageKind.ZNS_JOURNEY, oaId, null, null, null, null, phone, templateId, templateData,
                false, sendAt, ext, journeyId, tokenType);
    }

    private static TokenType tokenType(JsonNode journey, String phone, List<Violation> violations) {
        if (!journey.isObject()) {
            violations.add(new Violation("journey", "must be an object, e.g. {\"token_type\": \"token_logistics_7\"}"));
            return null;
        }
        // A misspelt token_type must not become the default token type.
        UnknownFields.check(journey, "journey.", "a journey to create", JOURNEY_FIELDS, violations);
        JsonNode journeyPhone = journey.get("phone");
        if (journeyPhone != null && !journeyPhone.isNull()) {
            String normalised = phone(journeyPhone, "journey.phone", violations);
            if (normalised != null && phone != null && !normalised.equals(phone)) {
                violations.add(new Violation("journey.phone", "must be the message's phone: a token is for one phone"));
            }
        }
        JsonNode type = journey.get("token_type");
        if (type == null || type.isNull()) {
            return TokenType.DEFAULT;
        }
        if (!type.isTextual() || TokenType.fromWireName(type.asText()).isEmpty()) {
            violations.add(new Violation("journey.token_type", TokenType.MESSAGE));
            return null;
        }
        return TokenType.fromWireName(type.asText()).get();
    }

    private static String phone(JsonNode value, String field, List<Violation> violations) {
        if (value == null || value.isNull()) {
            violations.add(new Violation(field, "is required"));
            return null;
        }
        if (!value.isTextual() || PhoneNumbers.normalise(value.asText()).isEmpty()) {
            violations.add(new Violation(field, "must be a Vietnamese mobile number: 0912345678, 84912345678 or +84912345678"));
            return null;
        }
        return PhoneNumbers.normalise(value.asText()).get();
    }

    /** A positive int, as a JSON number (digits in a string are taken too: int64 ids travel so). */
    private static Integer templateId(JsonNode value, List<Violation> violations) {
        if (value == null || value.isNull()) {
            violations.add(new Violation("template_id", "is required: the id of an approved ZNS template"));
            return null;
        }
        String digits = value.isIntegralNumber() || value.isTextual() ? value.asText() : "";
        if (!digits.matches("[0-9]{1,10}") || Long.parseLong(digits) < 1 || Long.parseLong(digits) > Integer.MAX_VALUE) {
            violations.add(new Violation("template_id", "must be a positive int"));
            return null;
        }
        return Integer.valueOf(digits);
    }

    /** An object of the template's parameters, each a string or a number; the JSON as it came. */
    private static String templateData(JsonNode value, List<Violation> violations) {
        if (value == null || value.isNull()) {
            violations.add(new Violation("template_data", "is required: the template's parameters, e.g. {\"order_code\": \"DH-001\"}"));
            return null;
        }
        if (!value.isObject()) {
            violations.add(new Violation("template_data", "must be an object of the template's parameters"));
            return null;
        }
        if (value.size() > MOST_PARAMETERS) {
            violations.add(new Violation("template_data", "must have at most " + MOST_PARAMETERS + " parameters"));
            return null;
        }
        int before = violations.size();
        for (Iterator<Map.Entry<String, JsonNode>> fields = value.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> parameter = fields.next();
            String name = parameter.getKey();
            String path = "template_data." + (name.length() > LONGEST_PARAMETER_NAME ? name.substring(0, 20) + "…" : name);
            if (name.isBlank() || name.length() > LONGEST_PARAMETER_NAME) {
                violations.add(new Violation(path, "a parameter name must have 1 to " + LONGEST_PARAMETER_NAME + " characters"));
            }
            JsonNode parameterValue = parameter.getValue();
            if (parameterValue.isTextual()) {
                if (parameterValue.asText().length() > LONGEST_PARAMETER_VALUE) {
                    violations.add(new Violation(path, "must be at most " + LONGEST_PARAMETER_VALUE + " characters"));
                } else if (parameterValue.asText().indexOf('\u0000') >= 0) {
                    violations.add(new Violation(path, "must not contain the NUL character"));
                }
            } else if (!parameterValue.isNumber()) {
                violations.add(new Violation(path, "must be a string or a number"));
            }
        }
        return violations.size() > before ? null : value.toString();
    }
}
