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
 * What the providers write, field for field as their documents show it: eTelecom's CreateJourney, SendZNSJourney
 * and GetShopOA answers, eSMS's send answer, GetQuota answer, callback and GetCallback answer, NXCloud's five receipts. Pure: the
 * simulator decides what happens, this class only writes it down. Public for the gateway's tests, which
 * check them against the seeds' examples (same names, nesting and JSON types) and that its readers read them.
 * <p>
 * Each id is whose it is, as in production: eSMS's SMSID is eSMS's, NXCloud's {@code requestId} is NXCloud's own
 * ({@code zalomid.<32 hex>}, never an SMSID), and Zalo's message id is what NXCloud's {@code zaloRes.data.msg_id},
 * eSMS's {@code partnerids} and eTelecom's {@code msg_id} carry.
 */
public final class ProviderBodies {

    /** What the simulator charges, in VND (eSMS bills in VND; NXCloud's seed shows USD and EUR). */
    static final BigDecimal MESSAGE_PRICE = new BigDecimal("300");
    static final BigDecimal JOURNEY_PRICE = new BigDecimal("250");
    static final String CURRENCY = "VND";
    /** Zalo's daily quota of messages per OA in the simulation, unless {@code daily-quota} says otherwise. */
    static final int DAILY_QUOTA = 5000;
    /** What one SMS part costs in the simulation, in VND (eSMS prices customer-care SMS per part). */
    static final BigDecimal SMS_PART_PRICE = new BigDecimal("750");
    /** eSMS's TypeId for a customer-care (brandname) SMS. */
    static final String SMS_TYPE_ID = "2";
    /** NXCloud's application id in journey receipts. */
    static final String APP_ID = "3310100000000048";
    /** The Zalo application an OA is connected through at eTelecom (GetShopOA's {@code app_id}). */
    static final String ZALO_APP_ID = "4318250117413476578";
    /** eSMS's TypeId for a Zalo transaction message. */
    static final String TRANSACTION_TYPE_ID = "26";

    /** How NXCloud's own requestIds begin; 32 hex digits follow (the seed's {@code zalomid.a941ccf8dd374daf…}). */
    public static final String NXCLOUD_REQUEST_ID_PREFIX = "zalomid.";
    /** eTelecom's (protobuf) zero time, which it writes for a time it has not got: the gateway reads it as unknown. */
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    /** NXCloud's {@code sendTime}: UTC+8, without a zone. */
    private static final DateTimeFormatter SEND_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.ofHours(8));

    /**
     * A message a provider took, and what became of it. {@code smsId} is the sender's reference (eSMS's SMSID, or
     * eTelecom's msg_id, which is Zalo's message id); {@code requestId} the sender's caller's id for it (the gateway's
     * RequestId for eSMS, its tracking_id for eTelecom); {@code nxcloudRequestId} NXCloud's own id for the send, which
     * its receipts quote as {@code requestId}; {@code zaloMsgId} Zalo's message id.
     */
    public record Message(String smsId, String requestId, String nxcloudRequestId, String oaId, String userId, String zaloMsgId,
            boolean fails) {
    }

    /** A brandname SMS eSMS took: its SMSID, our RequestId, the phone, how many parts it was billed as, whether it fails. */
    public record Sms(String smsId, String requestId, String phone, int parts, boolean fails) {
    }

    /** A journey eTelecom created. */
    public record Journey(String id, String journeyId, String token, String oaId, String phone) {
    }

    private ProviderBodies() {
    }

    /** One parameter of a simulated ZNS template: its type as the providers write it (STRING, NUMBER, DATE). */
    public record TemplateParam(String name, String type, boolean required, int minLength, int maxLength) {
    }

    /** A ZNS template every simulated OA has. */
    public record Template(long id, String name, String status, String quality, String tag, List<TemplateParam> params) {
    }

    /**
     * The ZNS templates of every simulated OA, by id: 231456 (ENABLE: a delivery, with string, number and date
     * parameters), 231457 (REJECT), 231458 (PENDING_REVIEW: an OTP), 231459 (ENABLE: an appointment, a date required).
     */
    public static final List<Template> TEMPLATES = List.of(
            new Template(231456, "Cập nhật giao hàng", "ENABLE", "HIGH", "IN_TRANSACTION", List.of(
                    new TemplateParam("order_code", "STRING", true, 1, 30),
                    new TemplateParam("status", "STRING", true, 1, 30),
                    new TemplateParam("weight_kg", "NUMBER", false, 1, 10),
                    new TemplateParam("delivery_date", "DATE", false, 10, 20))),
            new Template(231457, "Khuyến mãi cuối tuần", "REJECT", "UNDEFINED", "FOLLOW_UP", List.of(
                    new TemplateParam("customer_name", "STRING", true, 1, 30))),
            new Template(231458, "Mã xác thực", "PENDING_REVIEW", "UNDEFINED", "OTP", List.of(
                    new TemplateParam("otp", "NUMBER", true, 4, 8))),
            new Template(231459, "Nhắc lịch hẹn", "ENABLE", "MEDIUM", "POST_TRANSACTION", List.of(
                    new TemplateParam("customer_name", "STRING", true, 1, 30),
                    new TemplateParam("appointment", "DATE", true, 10, 20))));

    /** A simulated template's daily quota (the simulator does not count its use). */
    static final int TEMPLATE_DAILY_QUOTA = 1000;

    /**
     * A template as eTelecom's GetTemplate answers it (its public docs, no seed): {@code template_params[]}
     * {@code {name, type, require, accept_null, min_length, max_length}}, status, quality, tag, quota, price, timeout.
     */
    public static JsonObject etelecomTemplate(Template template) {
        JsonArray params = new JsonArray();
        for (TemplateParam param : template.params()) {
            params.add(new JsonObject().put("name", param.name()).put("type", param.type()).put("require", param.required())
                    .put("accept_null", !param.required()).put("min_length", param.minLength()).put("max_length", param.maxLength()));
        }
        return new JsonObject()
                .put("template_id", Long.toString(template.id()))
                .put("template_name", template.name())
                .put("template_params", params)
                .put("template_status", template.status())
                .put("template_quality", template.quality())
                .put("template_tag", template.tag())
                .put("apply_template_quota", true)
                .put("template_daily_quota", TEMPLATE_DAILY_QUOTA)
                .put("template_remaining_quota", TEMPLATE_DAILY_QUOTA)
                .put("price", MESSAGE_PRICE.intValue())
                .put("timeout", 7_200_000);
    }

    /** eTelecom's ListTemplates answer: {@code templates[]} (GetTemplate's fields, plus preview_url, is_journey), {@code paging}. */
    public static JsonObject etelecomTemplates(List<Template> templates, String next, int limit) {
        JsonArray listed = new JsonArray();
        for (Template template : templates) {
            listed.add(etelecomTemplate(template).put("preview_url", "https://account.zalo.cloud/znspreview/" + template.id())
                    .put("is_journey", true));
        }
        JsonObject paging = new JsonObject().put("limit", limit);
        if (next != null) {
            paging.put("next", next);
        }
        return new JsonObject().put("templates", listed).put("paging", paging);
    }

    /**
     * eSMS's GetZnsTemplateInfo answer: {@code CodeResult} 100 and {@code Data} with {@code ListParams[]}
     * {@code {Name, Require, Type, MaxLength, MinLength, AcceptNull}}, {@code Status}, {@code TemplateTag},
     * {@code Timeout}, {@code ListButtons}.
     */
    public static JsonObject esmsTemplateInfo(Template template) {
        JsonArray params = new JsonArray();
        for (TemplateParam param : template.params()) {
            params.add(new JsonObject().put("Name", param.name()).put("Require", param.required()).put("Type", param.type())
                    .put("MaxLength", param.maxLength()).put("MinLength", param.minLength()).put("AcceptNull", !param.required()));
        }
        return new JsonObject()
                .put("CodeResult", "100")
                .put("ErrorMessage", "success")
                .put("Data", new JsonObject()
                        .put("TemplateId", Long.toString(template.id()))
                        .put("TemplateName", template.name())
                        .put("Status", template.status())
                        .put("TemplateTag", template.tag())
                        .put("Timeout", 7_200_000)
                        .put("ListParams", params)
                        .put("ListButtons", new JsonArray()));
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

    /**
     * A business refusal: HTTP 200 with a non-zero {@code error_code}, every field of the answer there (as the seed's
     * {@code error_code: 1} example), the ones it has no value for empty or the zero time.
     */
    public static JsonObject refusedJourney(String phone) {
        return new JsonObject()
                .put("created_at", ZERO_TIME)
                .put("error_code", 1)
                .put("error_message", "phone is not linked to a Zalo account")
                .put("expired_at", ZERO_TIME)
                .put("id", "")
                .put("is_charged", false)
                .put("journey_id", "")
                .put("journey_token", "")
                .put("phone", phone)
                .put("status", "")
                .put("updated_at", ZERO_TIME);
    }

    /** eTelecom's transport-level error, with an HTTP 4xx/5xx. */
    public static JsonObject etelecomError(String code, String message) {
        return new JsonObject().put("code", code).put("msg", message);
    }

    /** eSMS's send answer: the seed's 100 ({@code CodeResult}, {@code CountRegenerate}, {@code SMSID}) or 101 ({@code ErrorMessage} for the SMSID). */
    public static JsonObject esmsAnswer(String codeResult, String smsId, String errorMessage) {
        JsonObject answer = new JsonObject().put("CodeResult", codeResult).put("CountRegenerate", 0);
        if (smsId != null) {
            answer.put("SMSID", smsId);
        }
        if (errorMessage != null) {
            answer.put("ErrorMessage", errorMessage);
        }
        return answer;
    }

    /**
     * eSMS's {@code ZNS/GetQuota} answer, as eSMS's page for it shows one: {@code CodeResult} 100 and the OA's quota
     * today as numbers ({@code DailyQuota}, {@code RemainingQuota}).
     */
    public static JsonObject esmsQuota(int dailyQuota, int remainingQuota) {
        return new JsonObject()
                .put("CodeResult", "100")
                .put("ErrorMessage", "success")
                .put("DailyQuota", dailyQuota)
                .put("RemainingQuota", remainingQuota);
    }

    /** GetQuota refused, as the page's 101 example: {@code CodeResult} and {@code ErrorMessage} only. */
    public static JsonObject esmsQuotaRefused(String codeResult, String errorMessage) {
        return new JsonObject().put("CodeResult", codeResult).put("ErrorMessage", errorMessage);
    }

    /**
     * eTelecom's {@code GetShopOA} answer with every field its public docs list (no seed shows one): the OA connected
     * ({@code status} P), good quality, its quota today; no promotion quota; ids, names and times the simulator's own.
     * {@code onwer_id} is spelt as eTelecom's docs spell it.
     */
    public static JsonObject shopOa(String oaId, int dailyQuota, int remainingQuota, Instant connectedAt) {
        return new JsonObject()
                .put("app_id", ZALO_APP_ID)
                .put("avatar", "")
                .put("connection_id", "1160000000000000001")
                .put("connection_method", "builtin")
                .put("cover", "")
                .put("created_at", connectedAt.toString())
                .put("current_quality", "HIGH")
                .put("daily_quota", dailyQuota)
                .put("daily_quota_promotion", 0)
                .put("description", "")
                .put("estimated_next_month_promotion_quota", 0)
                .put("expires_at", connectedAt.plus(java.time.Duration.ofDays(90)).toString())
                .put("is_verified", true)
                .put("last_week_quality", "HIGH")
                .put("monthly_promotion_quota", 0)
                .put("name", "Simulated OA")
                .put("oa_id", oaId)
                .put("onwer_id", "1150000000000000001")
                .put("remaining_monthly_promotion_quota", 0)
                .put("remaining_quota", remainingQuota)
                .put("shop_id", "1140000000000000001")
                .put("status", "P")
                .put("updated_at", connectedAt.toString())
                .put("webhook_url", "");
    }

    /** NXCloud's {@code success}: its own requestId, and Zalo's message id in {@code zaloRes.data.msg_id}, with cost and quota. */
    public static JsonObject nxcloudSuccess(Message message, int remainingQuota, Instant sentAt) {
        return nxcloudSuccess(message, remainingQuota, DAILY_QUOTA, sentAt);
    }

    /** NXCloud's {@code success} with the OA's daily quota as the simulation has it. */
    public static JsonObject nxcloudSuccess(Message message, int remainingQuota, int dailyQuota, Instant sentAt) {
        return new JsonObject()
                .put("status", "success")
                .put("requestId", message.nxcloudRequestId())
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
                                        .put("dailyQuota", Integer.toString(dailyQuota)))));
    }

    /** NXCloud's {@code failed}: its own requestId and Zalo's error, {@code data} null (Zalo gave no message id). */
    public static JsonObject nxcloudFailed(Message message, Instant sentAt) {
        String reason = "Zalo send error(Zalo account not existed)";
        return new JsonObject()
                .put("status", "failed")
                .put("requestId", message.nxcloudRequestId())
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

    /** NXCloud's {@code delivered}: its own requestId only, as the seed's example (no zaloRes, no cost). */
    public static JsonObject nxcloudDelivered(Message message, Instant sentAt) {
        return new JsonObject()
                .put("status", "delivered")
                .put("requestId", message.nxcloudRequestId())
                .put("code", 17003)
                .put("message", "Zalo message has delivered")
                .put("sendTime", SEND_TIME.format(sentAt));
    }

    /**
     * eTelecom's answer to SendZNSJourney, with the fields eTelecom's public docs list (no seed shows one): its own
     * {@code id}, {@code msg_id} (Zalo's message id) and what it charged (the token's fee on its first message).
     * {@code delivery_status} ({@code Received}, {@code Seen}) tells of later: empty at the send (the simulator's reading).
     */
    public static JsonObject sentZnsJourney(String id, String msgId, Journey journey, boolean firstOnToken, Instant now) {
        return new JsonObject()
                .put("id", id)
                .put("msg_id", msgId)
                .put("journey_id", journey.journeyId())
                .put("error_code", 0)
                .put("error_message", "")
                .put("is_charged", true)
                .put("fee_main", MESSAGE_PRICE)
                .put("fee_token", firstOnToken ? JOURNEY_PRICE : BigDecimal.ZERO)
                .put("delivery_status", "")
                .put("sent_time", now.toString());
    }

    /** A SendZNSJourney refused with a business error: HTTP 200, a non-zero {@code error_code}, nothing charged, nothing sent. */
    public static JsonObject refusedZnsJourney(String journeyId, int code, String message) {
        return new JsonObject()
                .put("id", "")
                .put("msg_id", "")
                .put("journey_id", journeyId == null ? "" : journeyId)
                .put("error_code", code)
                .put("error_message", message)
                .put("is_charged", false)
                .put("fee_main", BigDecimal.ZERO)
                .put("fee_token", BigDecimal.ZERO)
                .put("delivery_status", "")
                .put("sent_time", ZERO_TIME);
    }

    /**
     * Charging of a token started: its first message went out. {@code requestId} is NXCloud's own id of that message,
     * the one its {@code success} quoted (as in the seed, where both examples quote the same).
     */
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

    /** A token that expired never used. As in the seed: no requestId, ext or cost. */
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
     * eSMS's callback parameters for a finished message (SendStatus 5): its SMSID, our {@code RequestId}, and Zalo's
     * message id in {@code partnerids} (empty when Zalo gave none). {@code error_info} is URL-encoded JSON with Zalo's
     * error number, and the query encodes it again: eSMS's "sometimes encoded twice".
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

    /**
     * eSMS's callback for a brandname SMS (TypeId 2): {@code SendStatus} 7 when it left for the carrier, then 5 when the
     * carrier reported (SendSuccess or SendFailed), with the price of its parts ({@code TotalPrice}) once finished.
     */
    public static Map<String, String> esmsSmsCallback(Sms sms, boolean finished) {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("SMSID", sms.smsId());
        parameters.put("SendStatus", finished ? "5" : "7");
        parameters.put("SendSuccess", finished && !sms.fails() ? "1" : "0");
        parameters.put("SendFailed", finished && sms.fails() ? "1" : "0");
        parameters.put("TotalPrice", finished && !sms.fails() ? SMS_PART_PRICE.multiply(BigDecimal.valueOf(sms.parts())).toPlainString() : "0");
        parameters.put("TotalReceiver", "1");
        parameters.put("TotalSent", "1");
        parameters.put("RequestId", sms.requestId());
        parameters.put("TypeId", SMS_TYPE_ID);
        parameters.put("telcoid", "1");
        parameters.put("phonenumber", sms.phone());
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
