package vn.zalogateway.journey;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import com.fasterxml.jackson.databind.JsonNode;

import vn.zalogateway.common.Int64Ids;
import vn.zalogateway.common.PhoneNumbers;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.UnknownFields;
import vn.zalogateway.common.problem.Violation;

/**
 * Reads a {@code POST /v1/journeys} body as the consumer sent it, every violation at once, an unknown field among them
 * (contract v1.3: a misspelt {@code token_type} would otherwise create a token of the default type). {@code oa_id} and
 * {@code phone} may come as strings or as JSON integers, as they always could. Plain code.
 */
final class JourneyRequests {

    static final List<String> FIELDS = List.of("oa_id", "phone", "token_type");
    static final String OA_ID_MESSAGE = "must be a positive int64 in decimal digits";
    static final String PHONE_MESSAGE = "must be a Vietnamese mobile number: 0912345678, 84912345678 or +84912345678";

    private JourneyRequests() {
    }

    /** The request, or a 400 problem listing every violation. */
    static NewJourney read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("body", "must be a JSON object");
        }
        List<Violation> violations = new ArrayList<>();
        String oa = scalar(body.get("oa_id"), "oa_id", OA_ID_MESSAGE, violations);
        OptionalLong oaId = oa == null ? OptionalLong.empty() : Int64Ids.parse(oa);
        if (oa != null && oaId.isEmpty()) {
            violations.add(new Violation("oa_id", OA_ID_MESSAGE));
        }
        String phoneText = scalar(body.get("phone"), "phone", PHONE_MESSAGE, violations);
        String phone = phoneText == null ? null : PhoneNumbers.normalise(phoneText).orElse(null);
        if (phoneText != null && phone == null) {
            violations.add(new Violation("phone", PHONE_MESSAGE));
        }
        TokenType tokenType = tokenType(body.get("token_type"), violations);
        UnknownFields.check(body, "", "a journey request", FIELDS, violations);
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        return new NewJourney(oaId.getAsLong(), phone, tokenType);
    }

    /** A required string, or digits sent as a JSON integer; null with a violation otherwise. */
    private static String scalar(JsonNode value, String field, String message, List<Violation> violations) {
        if (value == null || value.isNull() || (value.isTextual() && value.asText().isBlank())) {
            violations.add(new Violation(field, "is required"));
            return null;
        }
        if (!value.isTextual() && !value.isIntegralNumber()) {
            violations.add(new Violation(field, message));
            return null;
        }
        return value.asText();
    }

    private static TokenType tokenType(JsonNode value, List<Violation> violations) {
        if (value == null || value.isNull()) {
            return TokenType.DEFAULT;
        }
        TokenType type = value.isTextual() ? TokenType.fromWireName(value.asText()).orElse(null) : null;
        if (type == null) {
            violations.add(new Violation("token_type", TokenType.MESSAGE));
        }
        return type;
    }
}
