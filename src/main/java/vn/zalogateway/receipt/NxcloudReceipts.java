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
import vn.zalogateway.common.Sha256;
import vn.zalogateway.common.problem.Violation;

/**
 * Reads NXCloud's receipt JSON. Numbers may come as strings. A receipt without a readable status (one
 * of the seed's five) or without what it is about ({@code requestId}, {@code journeyId}) is a list of
 * violations, so the webhook can keep the raw body and answer 400 with the reasons; any other field
 * that cannot be read is left unknown and named in {@link ParsedReceipt#unreadable()}.
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
        // Only what identifies a receipt and moves a state may refuse it; an optional field in an odd shape
        // is recorded as unreadable, and the receipt counts without it (the raw body keeps what came).
        List<Violation> violations = new ArrayList<>();
        List<Violation> odd = new ArrayList<>();
        ReceiptStatus status = null;
        JsonNode statusNode = body.get("status");
        if (statusNode == null || !statusNode.isTextual()) {
            violations.add(new Violation("status", "is required: " + STATUSES));
        } else {
            status = ReceiptStatus.fromWireName(statusNode.asText()).filter(ReceiptStatus::fromNxcloud).orElse(null);
            if (status == null) {
                violations.add(new Violation("status", "must be one of: " + STATUSES));
            }
        }
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
        if (!violations.isEmpty()) {
            throw new UnreadableReceipt(violations);
        }
        Integer code = integer(body.get("code"), "code", odd);
        Instant sentAt = sendTime(body.get("sendTime"), odd);
        Long timestamp = longValue(body.get("timestamp"), "timestamp", odd);
        String costCurrency = null;
        BigDecimal costAmount = null;
        JsonNode cost = body.get("cost");
        if (cost != null && !cost.isNull()) {
            if (!cost.isObject()) {
                odd.add(new Violation("cost", "must be an object with currency and originalPrice"));
            } else {
                costCurrency = ReceiptColumns.bounded("cost.currency", text(cost.get("currency"), "cost.currency", odd),
                        ReceiptColumns.COST_CURRENCY, odd);
                costAmount = ReceiptColumns.amount("cost.originalPrice",
                        decimal(cost.get("originalPrice"), "cost.originalPrice", odd), odd);
            }
        }
        JsonNode quota = body.at("/zaloRes/data/quota");
        Integer remaining = quota.isMissingNode() ? null : integer(quota.get("remainingQuota"), "zaloRes.data.quota.remainingQuota", odd);
        Integer daily = quota.isMissingNode() ? null : integer(quota.get("dailyQuota"), "zaloRes.data.quota.dailyQuota", odd);
        String message = text(body.get("message"), "message", odd);
        String ext = text(body.get("ext"), "ext", odd);
        String oaId = ReceiptColumns.bounded("oaId", text(body.get("oaId"), "oaId", odd), ReceiptColumns.OA_ID, odd);
        String appId = ReceiptColumns.bounded("appId", text(body.get("appId"), "appId", odd), ReceiptColumns.APP_ID, odd);
        ParsedReceipt.ZaloAnswer zalo = zaloAnswer(body.get("zaloRes"), odd);
        return new ParsedReceipt(status, code, ReceiptColumns.clip(message), requestId, journeyId, oaId, appId, sentAt, timestamp,
                costCurrency, costAmount, remaining, daily, ext, null, zalo,
                odd.stream().map(violation -> violation.field() + " " + violation.message()).toList(),
                odd.isEmpty() ? null : Sha256.hex(raw));
    }

    static final String STATUSES = "success, failed, delivered, journey_acknowledged or journey_time_out";

    /** {@code zaloRes}: Zalo's answer, kept field by field where the seed says failure details live. */
    private static ParsedReceipt.ZaloAnswer zaloAnswer(JsonNode zaloRes, List<Violation> odd) {
        if (zaloRes == null || zaloRes.isNull()) {
            return null;
        }
        if (!zaloRes.isObject()) {
            odd.add(new Violation("zaloRes", "must be an object"));
            return null;
        }
        JsonNode data = zaloRes.path("data");
        Long sentTime = data.isObject() ? longValue(data.get("sent_time"), "zaloRes.data.sent_time", odd) : null;
        return new ParsedReceipt.ZaloAnswer(
                integer(zaloRes.get("error"), "zaloRes.error", odd),
                ReceiptColumns.clip(text(zaloRes.get("message"), "zaloRes.message", odd)),
                ReceiptColumns.clip(text(zaloRes.get("sysMsg"), "zaloRes.sysMsg", odd)),
                ReceiptColumns.clip(text(zaloRes.get("cusMsg"), "zaloRes.cusMsg", odd)),
                data.isObject() ? ReceiptColumns.bounded("zaloRes.data.msg_id", text(data.get("msg_id"), "zaloRes.data.msg_id", odd),
                        ReceiptColumns.ZALO_MSG_ID, odd) : null,
                sentTime == null ? null : epochMillis(sentTime, "zaloRes.data.sent_time", odd),
                data.isObject() ? ReceiptColumns.bounded("zaloRes.data.sending_mode",
                        text(data.get("sending_mode"), "zaloRes.data.sending_mode", odd), ReceiptColumns.SENDING_MODE, odd) : null);
    }

    /** Epoch milliseconds as an instant PostgreSQL can hold, or null with a note. */
    static Instant epochMillis(long millis, String field, List<Violation> odd) {
        if (millis < 0 || millis > 253_402_300_799_000L) {
            odd.add(new Violation(field, "must be epoch milliseconds"));
            return null;
        }
        return Instant.ofEpochMilli(millis);
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
