package vn.zalogateway.provider.esms;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.RawValue;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.provider.OaQuota;
import vn.zalogateway.provider.ProviderException;
import vn.zalogateway.provider.ZnsTemplateInfo;

/**
 * Sends Zalo transaction messages (and SMS fallbacks) through eSMS, and asks it an OA's quota. Only a timeout and a
 * circuit breaker live here:
 * retries are the outbox's job, from the database, with the same RequestId so that eSMS drops a
 * message it already took.
 */
@ApplicationScoped
public class EsmsClient {

    public static final String PROVIDER = "eSMS";
    /** The circuit breaker's name, for the dispatcher to look at before it claims work. */
    public static final String CIRCUIT = "esms";
    /** The SMS route's own breaker: an SMS outage must not stop Zalo sends, nor the other way round. */
    public static final String SMS_CIRCUIT = "esms-sms";

    /** eSMS took the request. */
    static final String ACCEPTED = "100";
    /** Wrong ApiKey/SecretKey. */
    static final String BAD_CREDENTIALS = "101";
    /** A RequestId eSMS has seen: it already took this message. */
    static final String DUPLICATE_REQUEST = "124";

    /**
     * What eSMS did with a message: its SMSID, null when it reported a duplicate (or, oddly, a success) without one;
     * {@code note} says what was odd about the answer, kept with it in {@code answer} (both null when nothing was).
     */
    public record Submitted(String smsId, String note, String answer) {
    }

    /** One message for eSMS; {@code zaloPayload} is {@code message.attachment.payload} as JSON text we validated. */
    public record Send(String requestId, long oaId, String userId, String zaloPayload, boolean sandbox) {
    }

    private final EsmsApi api;
    private final GatewayConfig config;
    private final ObjectMapper json;
    private final MeterRegistry meters;

    EsmsClient(@RestClient EsmsApi api, GatewayConfig config, ObjectMapper json, MeterRegistry meters) {
        this.api = api;
        this.config = config;
        this.json = json;
        this.meters = meters;
    }

    @AsynchronousNonBlocking
    @Timeout(5000)
    @CircuitBreakerName(CIRCUIT)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000, successThreshold = 2,
            skipOn = ProviderException.Refused.class)
    public Uni<Submitted> send(Send message) {
        Timer.Sample started = Timer.start(meters);
        return api.sendZaloFollowerMessage(body(message))
                .map(EsmsClient::submitted)
                .onFailure().transform(failure -> ProviderException.classify(PROVIDER, failure))
                .onTermination().invoke((submitted, failure, cancelled) -> started.stop(meters.timer(
                        "gateway.upstream.calls", "provider", "esms", "operation", "SendZaloFollowerMessage",
                        "outcome", cancelled ? "cancelled" : failure == null ? "submitted" : ProviderException.outcome(PROVIDER, failure))));
    }

    /**
     * One brandname SMS for eSMS (a message's fallback): {@code requestId} is our message id with {@code -sms}, so that
     * eSMS drops a repeat within 24 h. Customer-care type ({@code SmsType} 2).
     */
    public record SmsSend(String requestId, String phone, String content, String brandname, boolean unicode, boolean sandbox) {
    }

    /** The SMS's RequestId: the message's id and {@code -sms} (at most 40 of eSMS's 50 characters). */
    public static final String SMS_REQUEST_SUFFIX = "-sms";

    @AsynchronousNonBlocking
    @Timeout(5000)
    @CircuitBreakerName(SMS_CIRCUIT)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000, successThreshold = 2,
            skipOn = ProviderException.Refused.class)
    public Uni<Submitted> sendSms(SmsSend sms) {
        Timer.Sample started = Timer.start(meters);
        return api.sendSms(smsBody(sms))
                .map(EsmsClient::submitted)
                .onFailure().transform(failure -> ProviderException.classify(PROVIDER, failure))
                .onTermination().invoke((submitted, failure, cancelled) -> started.stop(meters.timer(
                        "gateway.upstream.calls", "provider", "esms", "operation", "SendMultipleMessage",
                        "outcome", cancelled ? "cancelled" : failure == null ? "submitted" : ProviderException.outcome(PROVIDER, failure))));
    }

    /** GetQuota's breaker: a failing quota lookup must not stop sends, nor the other way round. */
    public static final String QUOTA_CIRCUIT = "esms-quota";

    /**
     * The OA's Zalo quota today ({@code ZNS/GetQuota}). A read: nothing is retried here; whoever asks goes on to another
     * provider or to what it knew. eSMS's refusal (a CodeResult other than 100, e.g. an OAID not on the account) is
     * {@link ProviderException.Refused}.
     */
    @AsynchronousNonBlocking
    @Timeout(3000)
    @CircuitBreakerName(QUOTA_CIRCUIT)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30_000, successThreshold = 1,
            skipOn = ProviderException.Refused.class)
    public Uni<OaQuota> quota(long oaId) {
        Timer.Sample started = Timer.start(meters);
        return api.getQuota(quotaBody(oaId))
                .map(EsmsClient::quotaOf)
                .onFailure().transform(failure -> ProviderException.classify(PROVIDER, failure))
                .onTermination().invoke((quota, failure, cancelled) -> started.stop(meters.timer(
                        "gateway.upstream.calls", "provider", "esms", "operation", "GetQuota",
                        "outcome", cancelled ? "cancelled" : failure == null ? "read" : ProviderException.outcome(PROVIDER, failure))));
    }

    /** GetZnsTemplateInfo's breaker: failing template lookups must not stop sends, nor the other way round. */
    public static final String TEMPLATES_CIRCUIT = "esms-templates";

    /**
     * One ZNS template of the OA ({@code GetZnsTemplateInfo}). A read: nothing is retried here. eSMS's refusal (a
     * CodeResult other than 100) is {@link ProviderException.Refused}; eSMS documents no answer for a template it does
     * not know, so a refusal never says that the template does not exist.
     */
    @AsynchronousNonBlocking
    @Timeout(3000)
    @CircuitBreakerName(TEMPLATES_CIRCUIT)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30_000, successThreshold = 1,
            skipOn = ProviderException.Refused.class)
    public Uni<ZnsTemplateInfo> template(long oaId, long templateId) {
        Timer.Sample started = Timer.start(meters);
        return api.getZnsTemplateInfo(Long.toString(templateId), config.esms().apiKey(), config.esms().secretKey(),
                Long.toString(oaId))
                .map(answer -> templateOf(templateId, answer))
                .onFailure().transform(failure -> ProviderException.classify(PROVIDER, failure))
                .onTermination().invoke((template, failure, cancelled) -> started.stop(meters.timer(
                        "gateway.upstream.calls", "provider", "esms", "operation", "GetZnsTemplateInfo",
                        "outcome", cancelled ? "cancelled" : failure == null ? "read" : ProviderException.outcome(PROVIDER, failure))));
    }

    /** Longest GetZnsTemplateInfo answer read: one template with its parameters and buttons. */
    static final int LONGEST_TEMPLATE_ANSWER = 256 * 1024;

    /**
     * GetZnsTemplateInfo's answer: {@code Data.ListParams[]} ({@code Name, Require, Type, MaxLength, MinLength,
     * AcceptNull}), {@code Status}, {@code TemplateTag} (read in {@code Data}, or beside it); a {@code CodeResult} other
     * than 100, when there is one, is eSMS's refusal. Without a Status the gateway can read, it is no template.
     */
    public static ZnsTemplateInfo templateOf(long templateId, String answer) {
        if (answer != null && answer.length() > LONGEST_TEMPLATE_ANSWER) {
            throw new ProviderException.Unavailable(PROVIDER, PROVIDER + " answered GetZnsTemplateInfo with " + answer.length()
                    + " characters, more than a template takes").withAnswer(answer);
        }
        JsonNode reply;
        try {
            reply = answer == null ? null : ANSWERS.readTree(answer);
        } catch (JsonProcessingException | RuntimeException unreadable) {
            reply = null;
        }
        if (reply == null || !reply.isObject()) {
            throw new ProviderException.Unavailable(PROVIDER, PROVIDER + " answered GetZnsTemplateInfo with something the "
                    + "gateway cannot read").withAnswer(answer);
        }
        JsonNode codeResult = reply.get("CodeResult");
        if (codeResult != null && codeResult.isValueNode() && !codeResult.isNull()
                && !ACCEPTED.equals(codeResult.asText().trim())) {
            String code = codeResult.asText().trim();
            if (code.isEmpty() || code.length() > LONGEST_CODE) {
                throw new ProviderException.Unavailable(PROVIDER, PROVIDER + " answered GetZnsTemplateInfo with a CodeResult of "
                        + code.length() + " characters, none it documents").withAnswer(answer);
            }
            if (BAD_CREDENTIALS.equals(code)) {
                Log.error("eSMS refused the gateway's credentials (CodeResult 101): check gateway.esms.api-key and gateway.esms.secret-key");
            }
            String message = reply.hasNonNull("ErrorMessage") ? reply.get("ErrorMessage").asText() : "";
            throw new ProviderException.Refused(PROVIDER, code, message.length() > 500 ? message.substring(0, 500) : message)
                    .withAnswer(answer);
        }
        JsonNode data = reply.path("Data");
        String status = ZnsTemplateInfo.word(data.has("Status") ? data.get("Status") : reply.get("Status"), ZnsTemplateInfo.LONGEST_WORD);
        if (!data.isObject() || status == null) {
            throw new ProviderException.Unavailable(PROVIDER, PROVIDER + " answered GetZnsTemplateInfo without a Data.Status "
                    + "the gateway can read").withAnswer(answer);
        }
        Long named = ZnsTemplateInfo.id(data.has("TemplateId") ? data.get("TemplateId") : reply.get("TemplateId"));
        if (named != null && named != templateId) {
            throw new ProviderException.Unavailable(PROVIDER, PROVIDER + " answered GetZnsTemplateInfo about another template")
                    .withAnswer(answer);
        }
        java.util.List<ZnsTemplateInfo.Param> params = new java.util.ArrayList<>();
        JsonNode listed = data.get("ListParams");
        if (listed != null && listed.isArray()) {
            for (JsonNode param : listed) {
                String name = ZnsTemplateInfo.text(param.get("Name"), ZnsTemplateInfo.LONGEST_PARAM_WORD);
                if (name == null || params.size() >= ZnsTemplateInfo.MOST_PARAMS) {
                    continue;
                }
                params.add(new ZnsTemplateInfo.Param(name, ZnsTemplateInfo.word(param.get("Type"), ZnsTemplateInfo.LONGEST_PARAM_WORD),
                        Boolean.TRUE.equals(ZnsTemplateInfo.flag(param.get("Require"))),
                        Boolean.TRUE.equals(ZnsTemplateInfo.flag(param.get("AcceptNull"))),
                        OaQuota.count(param.get("MinLength")), OaQuota.count(param.get("MaxLength"))));
            }
        }
        JsonNode tag = data.has("TemplateTag") ? data.get("TemplateTag") : reply.get("TemplateTag");
        JsonNode name = data.has("TemplateName") ? data.get("TemplateName") : reply.get("TemplateName");
        return new ZnsTemplateInfo(templateId, ZnsTemplateInfo.text(name, ZnsTemplateInfo.LONGEST_NAME), status, null,
                ZnsTemplateInfo.word(tag, ZnsTemplateInfo.LONGEST_WORD), params, null, null);
    }

    /** GetQuota's body; credentials travel in it, so it is never logged. */
    String quotaBody(long oaId) {
        return json.createObjectNode()
                .put("ApiKey", config.esms().apiKey())
                .put("SecretKey", config.esms().secretKey())
                .put("OAID", Long.toString(oaId))
                .toString();
    }

    /** Longest GetQuota answer read: eSMS's is a few fields; a larger one is not a quota. */
    static final int LONGEST_QUOTA_ANSWER = 64 * 1024;

    /**
     * GetQuota's answer: {@code CodeResult} 100 with {@code RemainingQuota} (and {@code DailyQuota}, unknown when it
     * cannot be read), or eSMS's refusal. An answer without a readable RemainingQuota is no reading: nothing is guessed.
     */
    public static OaQuota quotaOf(String answer) {
        if (answer != null && answer.length() > LONGEST_QUOTA_ANSWER) {
            throw new ProviderException.Unavailable(PROVIDER, PROVIDER + " answered GetQuota with " + answer.length()
                    + " characters, more than a quota takes").withAnswer(answer);
        }
        JsonNode reply;
        try {
            reply = answer == null ? null : ANSWERS.readTree(answer);
        } catch (JsonProcessingException | RuntimeException unreadable) {
            reply = null;
        }
        if (reply == null || !reply.isObject() || !reply.hasNonNull("CodeResult") || !reply.get("CodeResult").isValueNode()) {
            throw new ProviderException.Unavailable(PROVIDER, PROVIDER + " answered GetQuota with something the gateway cannot read")
                    .withAnswer(answer);
        }
        String code = reply.get("CodeResult").asText().trim();
        if (!ACCEPTED.equals(code)) {
            if (code.isEmpty() || code.length() > LONGEST_CODE) {
                throw new ProviderException.Unavailable(PROVIDER, PROVIDER + " answered GetQuota with a CodeResult of "
                        + code.length() + " characters, none it documents").withAnswer(answer);
            }
            if (BAD_CREDENTIALS.equals(code)) {
                Log.error("eSMS refused the gateway's credentials (CodeResult 101): check gateway.esms.api-key and gateway.esms.secret-key");
            }
            String message = reply.hasNonNull("ErrorMessage") ? reply.get("ErrorMessage").asText() : "";
            throw new ProviderException.Refused(PROVIDER, code, message.length() > 500 ? message.substring(0, 500) : message)
                    .withAnswer(answer);
        }
        Integer remaining = OaQuota.count(reply.get("RemainingQuota"));
        if (remaining == null) {
            throw new ProviderException.Unavailable(PROVIDER, PROVIDER + " answered GetQuota without a RemainingQuota the gateway "
                    + "can read").withAnswer(answer);
        }
        return new OaQuota(remaining, OaQuota.count(reply.get("DailyQuota")));
    }

    /** eSMS's SMS body (all strings); credentials travel in it, so it is never logged. */
    String smsBody(SmsSend sms) {
        ObjectNode body = json.createObjectNode()
                .put("ApiKey", config.esms().apiKey())
                .put("SecretKey", config.esms().secretKey())
                .put("Phone", sms.phone())
                .put("Content", sms.content())
                .put("Brandname", sms.brandname())
                .put("SmsType", "2")
                .put("IsUnicode", sms.unicode() ? "1" : "0")
                .put("Sandbox", sms.sandbox() ? "1" : "0")
                .put("RequestId", sms.requestId());
        config.esms().callbackUrl().ifPresent(url -> body.put("CallbackUrl", url));
        return body.toString();
    }

    /** The body eSMS documents; credentials travel in it, so it is never logged. */
    String body(Send message) {
        ObjectNode body = json.createObjectNode()
                .put("ApiKey", config.esms().apiKey())
                .put("SecretKey", config.esms().secretKey())
                .put("OAID", Long.toString(message.oaId()))
                .put("Sandbox", message.sandbox() ? "1" : "0")
                .put("RequestId", message.requestId());
        config.esms().callbackUrl().ifPresent(url -> body.put("CallbackUrl", url));
        ObjectNode payload = body.putObject("Payload");
        payload.putObject("recipient").put("user_id", message.userId());
        ObjectNode attachment = payload.putObject("message").putObject("attachment").put("type", "template");
        // Our own validated JSON: embedded as it is stored, not parsed again for every send.
        attachment.putRawValue("payload", new RawValue(message.zaloPayload()));
        return body.toString();
    }

    private static final ObjectMapper ANSWERS = new ObjectMapper();

    /** messages.provider_message_id is varchar(64); eSMS SMSIDs are GUIDs (36). */
    static final int LONGEST_SMS_ID = 64;
    /** messages.error_code is varchar(64); eSMS's CodeResults are a few digits. */
    static final int LONGEST_CODE = 64;

    /**
     * eSMS's answer, read and bounded before anything of it is kept: a value too long for its column is not cut (it
     * would be another value) but fails the attempt, saying so, with the raw answer kept for inspection. eSMS drops a
     * repeated RequestId, so an answer that may hide a sent message is safely asked again.
     */
    public static Submitted submitted(String answer) {
        JsonNode reply;
        try {
            reply = ANSWERS.readTree(answer);
        } catch (JsonProcessingException | RuntimeException unreadable) {
            reply = null;
        }
        if (reply == null || !reply.isObject() || !reply.hasNonNull("CodeResult") || !reply.get("CodeResult").isValueNode()) {
            // eSMS may have taken it: trying again with the same RequestId is safe, and the only way to know.
            throw new ProviderException.Transient(PROVIDER, PROVIDER + " answered with something the gateway cannot read")
                    .withAnswer(answer);
        }
        String code = reply.get("CodeResult").asText().trim();
        if (code.isEmpty() || code.length() > LONGEST_CODE) {
            throw new ProviderException.Transient(PROVIDER, PROVIDER + " answered a CodeResult of " + code.length()
                    + " characters, none it documents").withAnswer(answer);
        }
        String smsId = reply.hasNonNull("SMSID") && !reply.get("SMSID").asText().isBlank() ? reply.get("SMSID").asText() : null;
        if (ACCEPTED.equals(code) || DUPLICATE_REQUEST.equals(code)) {
            if (smsId != null && smsId.length() > LONGEST_SMS_ID) {
                // Not an SMSID (a fault test sent 10 MB of one): storing it would fail the whole dispatch round.
                throw new ProviderException.Transient(PROVIDER, PROVIDER + " answered with an SMSID of " + smsId.length()
                        + " characters, longer than " + LONGEST_SMS_ID).withAnswer(answer);
            }
            if (smsId == null && ACCEPTED.equals(code)) {
                // The seed's 100 always has one. Its callback names our RequestId beside the SMSID, which is learned then.
                return new Submitted(null, PROVIDER + " answered CodeResult 100 without an SMSID; the message is matched by its "
                        + "RequestId when eSMS calls back", answer);
            }
            return new Submitted(smsId, null, null);
        }
        String message = reply.hasNonNull("ErrorMessage") ? reply.get("ErrorMessage").asText() : "";
        if (BAD_CREDENTIALS.equals(code)) {
            Log.error("eSMS refused the gateway's credentials (CodeResult 101): check gateway.esms.api-key and gateway.esms.secret-key");
        }
        throw new ProviderException.Refused(PROVIDER, code, message.length() > 500 ? message.substring(0, 500) : message)
                .withAnswer(answer);
    }
}
