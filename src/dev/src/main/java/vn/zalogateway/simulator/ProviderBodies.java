package vn.zalogateway.simulator;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * What the providers write, field for field as their documents show it: eTelecom's CreateJourney
 * answer, eSMS's send answer, callback and GetCallback answer, NXCloud's five receipts. Pure: the
 * simulator decides what happens, this class only writes it down. Public for the gateway's tests, which
 * check that its readers read every one of them.
 */
public final class ProviderBodies {

    /** What the simulator charges, in VND (eSMS bills in VND; NXCloud's seed shows USD and EUR). */
    static final BigDecimal MESSAGE_PRICE = new BigDecimal("300");
    static final BigDecimal JOURNEY_PRICE = new BigDecimal("250");
    static final String CURRENCY = "VND";
    /** Zalo's daily quota of transaction messages per OA in the simulation. */
    static final int DAILY_QUOTA = 5000;
    /** NXCloud's application id in journey receipts. */
    static final String APP_ID = "3310100000000048";
    /** eSMS's TypeId for a Zalo transaction message. */
    static final String TRANSACTION_TYPE_ID = "26";

    /** NXCloud's {@code sendTime}: UTC+8, without a zone. */
    private static final DateTimeFormatter SEND_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.ofHours(8));

    /**
     * A message a provider took, and what became of it. {@code smsId} is the provider's reference receipts
     * quote as {@code requestId}: eSMS's SMSID, or eTelecom's msg_id for a journey message.
     */
    public record Message(String smsId, String requestId, String oaId, String userId, String zaloMsgId, boolean fails) {
    }

    /** A journey eTelecom created. */
    public record Journey(String id, String journeyId, String token, String oaId, String phone) {
    }

    private ProviderBodies() {
    }

    public static JsonObject createdJourney(Journey journey, Instant now, Instant expiresAt) {
        return new JsonObject()
                .put("created_at", now.toString())
                .put("error_code", 0)
                .put("error_message", "")
                .put("expired_at", expiresAt.toString())
                .put("id", journey.id())
                .put("is_charged", false)
                .put("journey_id", journey.journeyId())
                .put("journey_token", journey.token())
                .put("phone", journey.phone())
                .put("status", "Z")
                .put("updated_at", now.toString());
    }

    /** A business refusal: HTTP 200 with a non-zero {@code error_code}. */
    public static JsonObject refusedJourney(String phone) {
        return new JsonObject()
                .put("error_code", 1)
                .put("error_message", "phone is not linked to a Zalo account")
                .put("is_charged", false)
                .put("phone", phone);
    }

    /** eTelecom's transport-level error, with an HTTP 4xx/5xx. */
    static JsonObject etelecomError(String code, String message) {
        return new JsonObject().put("code", code).put("msg", message);
    }

    static JsonObject esmsAnswer(String codeResult, String smsId, String errorMessage) {
        JsonObject answer = new JsonObject().put("CodeResult", codeResult).put("CountRegenerate", 0);
        if (smsId != null) {
            answer.put("SMSID", smsId);
        }
        if (errorMessage != null) {
            answer.put("ErrorMessage", errorMessage);
        }
        return answer;
    }

    public static JsonObject nxcloudSuccess(Message message, int remainingQuota, Instant sentAt) {
        return new JsonObject()
                .put("status", "success")
                .put("requestId", message.smsId())
                .put("code", 0)
                .put("message", "Successfully sent.")
                .put("sendTime", SEND_TIME.format(sentAt))
                .put("cost", cost(MESSAGE_PRICE))
                .put("zaloRes", new JsonObject()
                        .put("sysMsg", "Successfully sent.")
                        .put("cusMsg", "Successfully sent.")
                        .put("error", 0)
                        .put("message", "Success")
                        .put("data", new JsonObject()
                                .put("sent_time", Long.toString(sentAt.toEpochMilli()))
                                .put("sending_mode", "1")
                                .put("msg_id", message.zaloMsgId())
                                .put("quota", new JsonObject()
                                        .put("remainingQuota", Integer.toString(remainingQuota))
                                        .put("dailyQuota", Integer.toString(DAILY_QUOTA)))));
    }

    public static JsonObject nxcloudFailed(Message message, Instant sentAt) {
        String reason = "Zalo send error(Zalo account not existed)";
        return new JsonObject()
                .put("status", "failed")
                .put("requestId", message.smsId())
                .put("code", 17004)
                .put("message", reason)
                .put("sendTime", SEND_TIME.format(sentAt))
                .put("zaloRes", new JsonObject()
                        .put("sysMsg", reason)
                        .put("cusMsg", reason)
                        .put("error", -118)
                        .put("message", "Zalo account not existed")
                        .putNull("data"));
    }

    public static JsonObject nxcloudDelivered(Message message, Instant sentAt) {
        return new JsonObject()
                .put("status", "delivered")
                .put("requestId", message.smsId())
                .put("code", 17003)
                .put("message", "Zalo message has delivered")
                .put("sendTime", SEND_TIME.format(sentAt));
    }

    /** eTelecom's answer to SendZNSJourney: the message's id and what it charged (the token's fee on its first message). */
    static JsonObject sentZnsJourney(String id, String msgId, Journey journey, int templateId, String trackingId,
            boolean firstOnToken, Instant now) {
        return new JsonObject()
                .put("id", id)
                .put("msg_id", msgId)
                .put("journey_id", journey.journeyId())
                .put("oa_id", journey.oaId())
                .put("phone", journey.phone())
                .put("template_id", templateId)
                .put("tracking_id", trackingId)
                .put("error_code", 0)
                .put("error_message", "")
                .put("is_charged", true)
                .put("fee_main", MESSAGE_PRICE)
                .put("fee_token", firstOnToken ? JOURNEY_PRICE : BigDecimal.ZERO)
                .put("delivery_status", "sending")
                .put("sent_time", now.toString())
                .put("created_at", now.toString());
    }

    /** A SendZNSJourney refused with a business error: HTTP 200, a non-zero {@code error_code}, nothing charged. */
    static JsonObject refusedZnsJourney(int code, String message) {
        return new JsonObject().put("error_code", code).put("error_message", message).put("is_charged", false);
    }

    /** Charging of a token started: its first message ({@code requestId}) went out, as in the seed. */
    public static JsonObject journeyAcknowledged(Journey journey, String requestId, Instant at) {
        JsonObject receipt = new JsonObject()
                .put("status", "journey_acknowledged");
        if (requestId != null) {
            receipt.put("requestId", requestId);
        }
        return receipt
                .put("code", 17006)
                .put("message", "The journey begins to be charged")
                .put("oaId", journey.oaId())
                .put("journeyId", journey.journeyId())
                .put("appId", APP_ID)
                .put("timestamp", Long.toString(at.toEpochMilli()))
                .put("cost", cost(JOURNEY_PRICE));
    }

    /** As in the seed: no requestId, ext or cost. */
    public static JsonObject journeyTimedOut(Journey journey, Instant at) {
        return new JsonObject()
                .put("status", "journey_time_out")
                .put("code", 17007)
                .put("message", "Journey expires and has never been used")
                .put("journeyId", journey.journeyId())
                .put("appId", APP_ID)
                .put("oaId", journey.oaId())
                .put("timestamp", Long.toString(at.toEpochMilli()));
    }

    /**
     * eSMS's callback parameters for a finished message (SendStatus 5). {@code error_info} is
     * URL-encoded JSON, and the query encodes it again: eSMS's "sometimes encoded twice".
     */
    public static Map<String, String> esmsCallback(Message message) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("SMSID", message.smsId());
        parameters.put("SendStatus", "5");
        parameters.put("SendSuccess", message.fails() ? "0" : "1");
        parameters.put("SendFailed", message.fails() ? "1" : "0");
        parameters.put("TotalPrice", message.fails() ? "0" : MESSAGE_PRICE.toPlainString());
        parameters.put("TotalReceiver", "1");
        parameters.put("TotalSent", "1");
        parameters.put("RequestId", message.requestId());
        parameters.put("TypeId", TRANSACTION_TYPE_ID);
        parameters.put("telcoid", "0");
        parameters.put("phonenumber", message.userId());
        parameters.put("partnerids", message.fails() ? "" : message.zaloMsgId());
        JsonObject errorInfo = message.fails()
                ? new JsonObject().putNull("data").put("error", -118).put("message", "Zalo account not existed")
                : new JsonObject().put("data", new JsonObject().put("message_id", message.zaloMsgId())
                        .put("user_id", message.userId())).put("error", 0).put("message", "Success");
        parameters.put("error_info", encode(errorInfo.encode()));
        parameters.put("oaid", message.oaId());
        parameters.put("tempid", "");
        return parameters;
    }

    /** GetCallback's answer: the callbacks it still has, two of their names spelt differently. */
    public static JsonObject getCallbackAnswer(List<Map<String, String>> callbacks) {
        JsonArray data = new JsonArray();
        for (Map<String, String> callback : callbacks) {
            JsonObject entry = new JsonObject();
            callback.forEach((name, value) -> entry.put(switch (name) {
                case "error_info" -> "ErrorInfo";
                case "oaid" -> "OAId";
                default -> name;
            }, value));
            data.add(entry);
        }
        return new JsonObject().put("Code", "100").put("Message", "Success").put("Data_callback", data);
    }

    public static String query(Map<String, String> parameters) {
        return parameters.entrySet().stream().map(parameter -> encode(parameter.getKey()) + "=" + encode(parameter.getValue()))
                .collect(Collectors.joining("&"));
    }

    private static JsonObject cost(BigDecimal price) {
        return new JsonObject().put("currency", CURRENCY).put("originalPrice", price);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
