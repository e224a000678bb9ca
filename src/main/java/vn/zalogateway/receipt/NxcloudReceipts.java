package vn.zalogateway.receipt;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import vn.zalogateway.common.ProviderTime;
import vn.zalogateway.common.problem.Violation;

/**
 * Reads NXCloud's receipt JSON. Numbers may come as strings; anything that cannot be read is a list
 * of violations, so the webhook can keep the raw body and answer 400 with the reasons.
 */
public final class NxcloudReceipts {

    /** NXCloud's {@code sendTime} is China time (8 hours ahead of UTC), as its examples show. */
    static final ZoneOffset SEND_TIME_ZONE = ZoneOffset.ofHours(8);
    /** Prices read as decimals, not doubles: 99999999999999.999999 stays what NXCloud sent. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private NxcloudReceipts() {
    }

    public static ParsedReceipt parse(String raw) {
        JsonNode body;
        try {
            body = raw == null || raw.isBlank() ? null : JSON.readTree(raw);
        } catch (JsonProcessingException notJson) {
            throw new UnreadableReceipt(List.of(new Violation("body", "is not well-formed JSON")));
        } catch (NumberFormatException beyondDecimals) {
            // Numbers are read as decimals: an exponent past what one holds (99e9999999999) lands here.
            throw new UnreadableReceipt(List.of(new Violation("body", "holds a number out of range")));
        }
        if (body == null || !body.isObject()) {
            throw new UnreadableReceipt(List.of(new Violation("body", "must be a JSON object")));
        }
        List<Violation> violations = new ArrayList<>();
        ReceiptStatus status = null;
        JsonNode statusNode = body.get("status");
        if (statusNode == null || !statusNode.isTextual()) {
            violations.add(new Violation("status", "is required: success, failed, delivered, journey_acknowledged or journey_time_out"));
        } else {
            status = ReceiptStatus.fromWireName(statusNode.asText()).orElse(null);
            if (status == null) {
                violations.add(new Violation("status", "must be one of: success, failed, delivered, journey_acknowledged, journey_time_out"));
            }
        }
        Integer code = integer(body.get("code"), "code", violations);
        String requestId = ReceiptColumns.bounded("requestId", text(body.get("requestId"), "requestId", violations),
                ReceiptColumns.REQUEST_ID, violations);
        String journeyId = ReceiptColumns.bounded("journeyId", text(body.get("journeyId"), "journeyId", violations),
                ReceiptColumns.JOURNEY_ID, violations);
        if (status != null && !status.aboutJourney() && requestId == null) {
            violations.add(new Violation("requestId", "is required for a " + status.wireName() + " receipt"));
        }
        if (status != null && status.aboutJourney() && journeyId == null) {
            violations.add(new Violation("journeyId", "is required for a " + status.wireName() + " receipt"));
        }
        Instant sentAt = sendTime(body.get("sendTime"), violations);
        Long timestamp = longValue(body.get("timestamp"), "timestamp", violations);
        String costCurrency = null;
        BigDecimal costAmount = null;
        JsonNode cost = body.get("cost");
        if (cost != null && !cost.isNull()) {
            if (!cost.isObject()) {
                violations.add(new Violation("cost", "must be an object with currency and originalPrice"));
            } else {
                costCurrency = ReceiptColumns.bounded("cost.currency", text(cost.get("currency"), "cost.currency", violations),
                        ReceiptColumns.COST_CURRENCY, violations);
                costAmount = ReceiptColumns.amount("cost.originalPrice",
                        decimal(cost.get("originalPrice"), "cost.originalPrice", violations), violations);
            }
        }
        JsonNode quota = body.at("/zaloRes/data/quota");
        Integer remaining = quota.isMissingNode() ? null : integer(quota.get("remainingQuota"), "zaloRes.data.quota.remainingQuota", violations);
        Integer daily = quota.isMissingNode() ? null : integer(quota.get("dailyQuota"), "zaloRes.data.quota.dailyQuota", violations);
        String message = text(body.get("message"), "message", violations);
        String ext = text(body.get("ext"), "ext", violations);
        String oaId = ReceiptColumns.bounded("oaId", text(body.get("oaId"), "oaId", violations), ReceiptColumns.OA_ID, violations);
        String appId = text(body.get("appId"), "appId", violations);
        if (!violations.isEmpty()) {
            throw new UnreadableReceipt(violations);
        }
        return new ParsedReceipt(status, code, ReceiptColumns.clip(message), requestId, journeyId, oaId, appId, sentAt, timestamp,
                costCurrency, costAmount, remaining, daily, ext, null);
    }

    private static String text(JsonNode value, String field, List<Violation> violations) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual() && !value.isNumber()) {
            violations.add(new Violation(field, "must be a string"));
            return null;
        }
        String text = value.asText();
        if (text.length() > 65_535) {
            violations.add(new Violation(field, "is too long"));
            return null;
        }
        if (text.indexOf('\u0000') >= 0) {
            violations.add(new Violation(field, ReceiptColumns.NO_NUL));
            return null;
        }
        return text.isEmpty() ? null : text;
    }

    private static Integer integer(JsonNode value, String field, List<Violation> violations) {
        Long number = longValue(value, field, violations);
        if (number != null && (number > Integer.MAX_VALUE || number < Integer.MIN_VALUE)) {
            violations.add(new Violation(field, "is out of range"));
            return null;
        }
        return number == null ? null : number.intValue();
    }

    private static Long longValue(JsonNode value, String field, List<Violation> violations) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            if (value.isIntegralNumber() && value.canConvertToLong()) {
                return value.asLong();
            }
            if (value.isTextual() && value.asText().length() <= 19) {
                return Long.parseLong(value.asText().trim());
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        violations.add(new Violation(field, "must be an integer"));
        return null;
    }

    private static BigDecimal decimal(JsonNode value, String field, List<Violation> violations) {
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            if (value.isNumber()) {
                return value.decimalValue();
            }
            if (value.isTextual() && value.asText().length() <= 30) {
                return new BigDecimal(value.asText().trim());
            }
        } catch (NumberFormatException notANumber) {
            // reported below
        }
        violations.add(new Violation(field, "must be a number"));
        return null;
    }

    private static Instant sendTime(JsonNode value, List<Violation> violations) {
        if (value == null || value.isNull()) {
            return null;
        }
        Instant read = value.isTextual() ? readSendTime(value.asText()) : null;
        if (read == null) {
            violations.add(new Violation("sendTime", "must be yyyy-MM-dd HH:mm:ss"));
        }
        return read;
    }

    /**
     * {@code yyyy-MM-dd HH:mm:ss} in China time, or null when it is not a real time in that form.
     * Read by hand: DateTimeFormatter's general parser took a quarter of reading a receipt's body (JFR).
     */
    static Instant readSendTime(String text) {
        return ProviderTime.readLocal(text, SEND_TIME_ZONE);
    }

    /** The decimal number in text[from, from + count), or -1 when a character is not a digit. */

}
