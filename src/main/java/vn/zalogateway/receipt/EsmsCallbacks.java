package vn.zalogateway.receipt;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import vn.zalogateway.common.problem.Violation;

/**
 * Reads eSMS's callback parameters (a GET query, or a form): SMSID and, when we sent the message, our
 * RequestId (the message id) beside it. {@code SendStatus} 4, or 5 with failures,
 * is a failure; 5 with successes is a success; 1, 2 and 7 are progress, recorded without a move.
 */
public final class EsmsCallbacks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private EsmsCallbacks() {
    }

    public static ParsedReceipt parse(Map<String, String> parameters) {
        List<Violation> violations = new ArrayList<>();
        parameters.forEach((name, value) -> {
            if (value != null && value.indexOf('\u0000') >= 0) {
                violations.add(new Violation(name, ReceiptColumns.NO_NUL));
            }
        });
        if (!violations.isEmpty()) {
            throw new UnreadableReceipt(violations);
        }
        String smsId = blankToNull(parameters.get("SMSID"));
        if (smsId == null || smsId.length() > ReceiptColumns.REQUEST_ID) {
            violations.add(new Violation("SMSID", "is required (at most " + ReceiptColumns.REQUEST_ID + " characters)"));
        }
        String oaId = ReceiptColumns.bounded("oaid", blankToNull(parameters.get("oaid")), ReceiptColumns.OA_ID, violations);
        Integer sendStatus = integer(parameters, "SendStatus", violations);
        Integer sendSuccess = integer(parameters, "SendSuccess", violations);
        Integer sendFailed = integer(parameters, "SendFailed", violations);
        String requestId = blankToNull(parameters.get("RequestId"));
        // An SMS fallback's callback: TypeId 2 (customer care), or our RequestId with its -sms.
        boolean sms = "2".equals(blankToNull(parameters.get("TypeId"))) || requestId != null && requestId.endsWith(SMS_SUFFIX);
        ReceiptStatus status = null;
        if (sendStatus == null) {
            violations.add(new Violation("SendStatus", "is required: 1, 2, 4, 5 or 7"));
        } else {
            // For an SMS: 7 is sent (waiting for the network's report), 5 with a success delivered; for a Zalo
            // message, 5 with a success is Zalo having it (NXCloud's delivered says the phone has it).
            status = switch (sendStatus) {
                case 4 -> ReceiptStatus.FAILED;
                case 5 -> positive(sendFailed) ? ReceiptStatus.FAILED
                        : positive(sendSuccess) ? (sms ? ReceiptStatus.DELIVERED : ReceiptStatus.SUCCESS) : ReceiptStatus.PROGRESS;
                case 7 -> sms ? ReceiptStatus.SUCCESS : ReceiptStatus.PROGRESS;
                case 1, 2 -> ReceiptStatus.PROGRESS;
                default -> null;
            };
            if (status == null) {
                violations.add(new Violation("SendStatus", "must be one of: 1, 2, 4, 5, 7"));
            }
        }
        BigDecimal price = null;
        String totalPrice = blankToNull(parameters.get("TotalPrice"));
        // Only a finished send (4, or 5) is billed: an earlier callback's TotalPrice is no price yet, and the ledger
        // keeps a message's first charge of each item.
        boolean finished = sendStatus != null && (sendStatus == 4 || sendStatus == 5);
        if (totalPrice != null) {
            try {
                price = ReceiptColumns.amount("TotalPrice", new BigDecimal(totalPrice), violations);
            } catch (NumberFormatException notANumber) {
                violations.add(new Violation("TotalPrice", "must be a number"));
            }
        }
        if (!finished) {
            price = null;
        }
        if (!violations.isEmpty()) {
            throw new UnreadableReceipt(violations);
        }
        ErrorInfo info = errorInfo(parameters.get("error_info"));
        // Zalo's message id: partnerids, else the one error_info names; one that cannot be an id is left out.
        String partnerIds = blankToNull(parameters.get("partnerids"));
        String zaloMsgId = partnerIds != null && partnerIds.length() <= ReceiptColumns.ZALO_MSG_ID && !partnerIds.contains(",")
                ? partnerIds : info.messageId();
        ParsedReceipt.ZaloAnswer zalo = info.error() == null && zaloMsgId == null ? null
                : new ParsedReceipt.ZaloAnswer(info.error(), info.message(), null, null, zaloMsgId, null, null);
        return new ParsedReceipt(status, sendStatus, info.message(), smsId, null, oaId, null,
                null, null, price == null ? null : "VND", price, null, null, null, messageId(requestId),
                sms ? null : zalo, List.of(), null, sms);
    }

    /** What the gateway appends to a message's id for its SMS fallback's RequestId. */
    static final String SMS_SUFFIX = "-sms";

    /**
     * The RequestId eSMS echoes: our message id for the messages this gateway sent (with {@code -sms} for an SMS
     * fallback). Anything else (another sender on the same eSMS account) is no id of ours, and the receipt is matched
     * by its SMSID alone.
     */
    static UUID messageId(String requestId) {
        String text = blankToNull(requestId);
        if (text != null && text.endsWith(SMS_SUFFIX)) {
            text = text.substring(0, text.length() - SMS_SUFFIX.length());
        }
        if (text == null || text.length() != 36) {
            return null;
        }
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException notOurs) {
            return null;
        }
    }

    /** What {@code error_info} holds: Zalo's error number, its words, and Zalo's message id (each null when absent). */
    record ErrorInfo(Integer error, String message, String messageId) {
    }

    /**
     * {@code error_info}: URL-encoded JSON, sometimes encoded twice, e.g. {@code {"data":{"message_id","user_id"},
     * "error":-118,"message":"..."}}. What cannot be read as JSON is kept as the message, as it came (it stays in the
     * raw receipt anyway); a value too long for its column is left out rather than cut.
     */
    static ErrorInfo errorInfo(String errorInfo) {
        String text = blankToNull(errorInfo);
        for (int pass = 0; text != null && pass < 3 && text.contains("%"); pass++) {
            try {
                text = URLDecoder.decode(text, StandardCharsets.UTF_8);
            } catch (IllegalArgumentException notEncoded) {
                break;
            }
        }
        if (text == null) {
            return new ErrorInfo(null, null, null);
        }
        try {
            JsonNode info = JSON.readTree(text);
            if (info != null && info.isTextual()) {
                info = JSON.readTree(info.asText()); // a JSON string that holds the JSON
            }
            if (info != null && info.isObject()) {
                JsonNode error = info.get("error");
                Integer number = error != null && error.canConvertToInt() && (error.isIntegralNumber()
                        || error.isTextual() && error.asText().matches("-?\\d{1,9}")) ? Integer.valueOf(error.asText()) : null;
                JsonNode messageId = info.path("data").get("message_id");
                String id = messageId != null && messageId.isValueNode() && !messageId.asText().isBlank()
                        && messageId.asText().length() <= ReceiptColumns.ZALO_MSG_ID ? messageId.asText() : null;
                String message = info.hasNonNull("message") ? ReceiptColumns.clip(info.get("message").asText()) : null;
                return new ErrorInfo(number, message, id);
            }
        } catch (Exception notJson) {
            // fall through: keep the text
        }
        return new ErrorInfo(null, ReceiptColumns.clip(text), null);
    }

    /** The message inside {@code error_info}. */
    static String errorMessage(String errorInfo) {
        return errorInfo(errorInfo).message();
    }

    private static Integer integer(Map<String, String> parameters, String name, List<Violation> violations) {
        String value = blankToNull(parameters.get(name));
        if (value == null) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException notANumber) {
            violations.add(new Violation(name, "must be an integer"));
            return null;
        }
    }

    private static boolean positive(Integer count) {
        return count != null && count > 0;
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
