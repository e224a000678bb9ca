package vn.zalogateway.consumer;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import vn.zalogateway.common.Int64Ids;
import vn.zalogateway.common.SendWindow;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;

/**
 * Reads the admin API's consumer bodies, every violation at once. The callback URL's form is checked
 * here; where it resolves to is checked by {@link CallbackUrls} (a DNS lookup, off the event loop).
 */
final class ConsumerRequests {

    static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");
    static final int MOST_OAS = 1000;
    static final int MOST_PER_SECOND = 100_000;

    /** The OAs a consumer may use: all, or these. */
    record Oas(boolean all, Set<Long> ids) {
    }

    /** A new consumer. */
    record NewConsumer(String name, Oas oas, String callbackUrl) {
    }

    /**
     * What a PATCH changes: a field left out is {@code null} here; {@code callbackUrl} and
     * {@code rateLimit} present but JSON null are {@code Optional.empty()} (removed, back to the default).
     */
    /** What a PATCH names: null for a field it leaves alone, an empty Optional for one it removes. */
    record Changes(Oas oas, Optional<String> callbackUrl, Optional<Integer> rateLimit, Optional<SendWindow> sendWindow) {
    }

    private ConsumerRequests() {
    }

    static NewConsumer newConsumer(JsonNode body) {
        requireObject(body);
        List<Violation> violations = new ArrayList<>();
        unknownFields(body, Set.of("name", "oa_ids", "callback_url"), violations);
        JsonNode name = body.get("name");
        if (name == null || !name.isTextual() || !NAME.matcher(name.asText()).matches()) {
            violations.add(new Violation("name", "is required: 1 to 64 of a-z, 0-9 and -"));
        }
        Oas oas = oas(body.get("oa_ids"), violations);
        String callbackUrl = callbackUrl(body.get("callback_url"), violations);
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        return new NewConsumer(name.asText(), oas, callbackUrl);
    }

    static Changes changes(JsonNode body) {
        requireObject(body);
        List<Violation> violations = new ArrayList<>();
        unknownFields(body, Set.of("oa_ids", "callback_url", "rate_limit_per_second", "send_window"), violations);
        if (body.isEmpty()) {
            violations.add(new Violation("body",
                    "must change at least one of oa_ids, callback_url, rate_limit_per_second, send_window"));
        }
        Oas oas = body.has("oa_ids") ? oas(body.get("oa_ids"), violations) : null;
        Optional<String> callbackUrl = body.has("callback_url")
                ? Optional.ofNullable(callbackUrl(body.get("callback_url"), violations)) : null;
        Optional<Integer> rateLimit = null;
        if (body.has("rate_limit_per_second")) {
            JsonNode limit = body.get("rate_limit_per_second");
            if (limit.isNull()) {
                rateLimit = Optional.empty();
            } else if (!limit.isIntegralNumber() || limit.asLong() < 1 || limit.asLong() > MOST_PER_SECOND) {
                violations.add(new Violation("rate_limit_per_second", "must be a whole number from 1 to " + MOST_PER_SECOND
                        + ", or null for the gateway's default"));
            } else {
                rateLimit = Optional.of(limit.asInt());
            }
        }
        Optional<SendWindow> sendWindow = body.has("send_window")
                ? Optional.ofNullable(SendWindow.read(body.get("send_window"), "send_window", violations)) : null;
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        return new Changes(oas, callbackUrl, rateLimit, sendWindow);
    }

    /** {@code ["*"]} for every OA, or OA ids (JSON strings or numbers of decimal digits). */
    private static Oas oas(JsonNode value, List<Violation> violations) {
        if (value == null || !value.isArray() || value.isEmpty() || value.size() > MOST_OAS) {
            violations.add(new Violation("oa_ids", "is required: a list of 1 to " + MOST_OAS + " OA ids, or [\"*\"] for every OA"));
            return null;
        }
        if (value.size() == 1 && "*".equals(value.get(0).asText()) && value.get(0).isTextual()) {
            return new Oas(true, Set.of());
        }
        Set<Long> ids = new LinkedHashSet<>();
        for (int i = 0; i < value.size(); i++) {
            JsonNode oa = value.get(i);
            var id = (oa.isTextual() || oa.isIntegralNumber()) ? Int64Ids.parse(oa.asText()) : java.util.OptionalLong.empty();
            if (id.isEmpty()) {
                violations.add(new Violation("oa_ids[" + i + "]", "must be an OA id (a positive int64 in decimal digits); "
                        + "\"*\" stands alone"));
            } else {
                ids.add(id.getAsLong());
            }
        }
        return new Oas(false, ids);
    }

    private static String callbackUrl(JsonNode value, List<Violation> violations) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            violations.add(new Violation("callback_url", "must be an https URL, or null"));
            return null;
        }
        String refusal = CallbackUrls.formRefusal(value.asText());
        if (refusal != null) {
            violations.add(new Violation("callback_url", refusal));
            return null;
        }
        return value.asText();
    }

    private static void requireObject(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("body", "must be a JSON object");
        }
    }

    private static void unknownFields(JsonNode body, Set<String> known, List<Violation> violations) {
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                violations.add(new Violation(name, "is not a field here (known: " + String.join(", ", known.stream().sorted().toList()) + ")"));
            }
        }
    }
}
