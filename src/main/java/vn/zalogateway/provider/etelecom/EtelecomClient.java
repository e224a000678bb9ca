package vn.zalogateway.provider.etelecom;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.PhoneNumbers;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.provider.OaQuota;
import vn.zalogateway.provider.ProviderException;
import vn.zalogateway.provider.ZnsTemplateInfo;

/**
 * Creates journey tokens and sends ZNS journey messages at eTelecom. Each attempt has its own timeout; only a call
 * that certainly never reached eTelecom (the connection could not be made) is tried again, with exponential
 * backoff: eTelecom documents no dropping of a repeated request, so a call that may have arrived (a timeout, a
 * reset after the request went out, a 5xx, an answer the gateway cannot read) is never repeated here. A failing
 * eTelecom opens the circuit so that consumers get a fast 502 instead of piling up on it.
 */
@ApplicationScoped
public class EtelecomClient {

    public static final String PROVIDER = "eTelecom";

    private final EtelecomApi api;
    private final GatewayConfig config;
    private final MeterRegistry meters;

    EtelecomClient(@RestClient EtelecomApi api, GatewayConfig config, MeterRegistry meters) {
        this.api = api;
        this.config = config;
        this.meters = meters;
    }

    @AsynchronousNonBlocking
    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, maxDuration = 30_000, retryOn = ProviderException.NotSent.class)
    @ExponentialBackoff(factor = 3, maxDelay = 2000)
    @CircuitBreakerName("etelecom")
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000, successThreshold = 2,
            skipOn = ProviderException.Refused.class)
    public Uni<CreatedJourney> createJourney(long oaId, String phone, String tokenType) {
        Timer.Sample started = Timer.start(meters);
        CreateJourneyCall call = new CreateJourneyCall(Long.toString(oaId), phone, tokenType);
        return api.createJourney("Bearer " + config.etelecom().apiKey(), call)
                .map(EtelecomClient::createdJourney)
                .onFailure().transform(failure -> ProviderException.classify(EtelecomErrors.PROVIDER, failure))
                .onTermination().invoke((created, failure, cancelled) -> {
                    String outcome = cancelled ? "cancelled" : failure == null ? "created" : ProviderException.outcome(EtelecomErrors.PROVIDER, failure);
                    started.stop(meters.timer("gateway.upstream.calls", "provider", "etelecom",
                            "operation", "CreateJourney", "outcome", outcome));
                    if (failure != null) {
                        Log.debugf("eTelecom CreateJourney for %s failed: %s", PhoneNumbers.mask(phone), failure.getMessage());
                    }
                });
    }

    /**
     * Sends a ZNS journey message with a journey's token; {@code trackingId} is our message id. The same
     * timeout, retries (calls that never left only) and breaker as CreateJourney, with a breaker of its own:
     * failing sends must not stop tokens being created, nor the other way round.
     */
    @AsynchronousNonBlocking
    @Timeout(5000)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, maxDuration = 30_000, retryOn = ProviderException.NotSent.class)
    @ExponentialBackoff(factor = 3, maxDelay = 2000)
    @CircuitBreakerName(SEND_CIRCUIT)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000, successThreshold = 2,
            skipOn = ProviderException.Refused.class)
    public Uni<SentZnsJourney> sendZnsJourney(ZnsJourneySend send) {
        Timer.Sample started = Timer.start(meters);
        SendZnsJourneyCall call = new SendZnsJourneyCall(Long.toString(send.oaId()), send.journeyId(), send.phone(),
                send.templateId(), send.templateData(), send.trackingId());
        return api.sendZnsJourney("Bearer " + config.etelecom().apiKey(), call)
                .map(EtelecomClient::sent)
                .onFailure().transform(failure -> ProviderException.classify(EtelecomErrors.PROVIDER, failure))
                .onTermination().invoke((sent, failure, cancelled) -> started.stop(meters.timer("gateway.upstream.calls",
                        "provider", "etelecom", "operation", "SendZNSJourney", "outcome", cancelled ? "cancelled"
                                : failure == null ? "sent" : ProviderException.outcome(EtelecomErrors.PROVIDER, failure))));
    }

    /** GetShopOA's breaker: a failing quota lookup must not stop tokens or sends, nor the other way round. */
    public static final String QUOTA_CIRCUIT = "etelecom-quota";

    /**
     * The OA's Zalo quota today ({@code GetShopOA}). A read: nothing is retried here; whoever asks goes on to what it
     * knew. The same key and base URL as CreateJourney.
     */
    @AsynchronousNonBlocking
    @Timeout(3000)
    @CircuitBreakerName(QUOTA_CIRCUIT)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30_000, successThreshold = 1,
            skipOn = ProviderException.Refused.class)
    public Uni<OaQuota> quota(long oaId) {
        Timer.Sample started = Timer.start(meters);
        return api.getShopOa("Bearer " + config.etelecom().apiKey(), new GetShopOaCall(Long.toString(oaId)))
                .map(answer -> quotaOf(oaId, answer))
                .onFailure().transform(failure -> ProviderException.classify(EtelecomErrors.PROVIDER, failure))
                .onTermination().invoke((quota, failure, cancelled) -> started.stop(meters.timer("gateway.upstream.calls",
                        "provider", "etelecom", "operation", "GetShopOA", "outcome", cancelled ? "cancelled"
                                : failure == null ? "read" : ProviderException.outcome(EtelecomErrors.PROVIDER, failure))));
    }

    /** The template calls' breaker: failing template lookups must not stop tokens or sends, nor the other way round. */
    public static final String TEMPLATES_CIRCUIT = "etelecom-templates";
    /** ListTemplates' own breaker (a breaker has one method). */
    public static final String TEMPLATE_LISTS_CIRCUIT = "etelecom-template-lists";

    /**
     * One ZNS template of the OA ({@code GetTemplate}). A read: nothing is retried here; whoever asks goes on to another
     * provider or to what it knew. eTelecom's refusal (a non-zero error_code, an HTTP 400) is
     * {@link ProviderException.Refused}: it does not say the template does not exist (see {@link #listTemplates}).
     */
    @AsynchronousNonBlocking
    @Timeout(3000)
    @CircuitBreakerName(TEMPLATES_CIRCUIT)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30_000, successThreshold = 1,
            skipOn = ProviderException.Refused.class)
    public Uni<ZnsTemplateInfo> template(long oaId, long templateId) {
        Timer.Sample started = Timer.start(meters);
        return api.getTemplate("Bearer " + config.etelecom().apiKey(), new GetTemplateCall(Long.toString(oaId), templateId))
                .map(answer -> EtelecomTemplates.template(templateId, answer))
                .onFailure().transform(failure -> ProviderException.classify(EtelecomErrors.PROVIDER, failure))
                .onTermination().invoke((template, failure, cancelled) -> started.stop(meters.timer("gateway.upstream.calls",
                        "provider", "etelecom", "operation", "GetTemplate", "outcome", cancelled ? "cancelled"
                                : failure == null ? "read" : ProviderException.outcome(EtelecomErrors.PROVIDER, failure))));
    }

    /** Templates asked for per ListTemplates page. */
    static final int TEMPLATES_PER_PAGE = 100;

    /**
     * One page of the OA's ZNS templates ({@code ListTemplates}), only {@code templateId} when it is not null; {@code after}
     * is the previous page's {@code paging.next} (null: the first page). An empty list about one template is eTelecom
     * saying the OA has no such template.
     */
    @AsynchronousNonBlocking
    @Timeout(3000)
    @CircuitBreakerName(TEMPLATE_LISTS_CIRCUIT)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 30_000, successThreshold = 1,
            skipOn = ProviderException.Refused.class)
    public Uni<EtelecomTemplates.Page> listTemplates(long oaId, Long templateId, String after) {
        Timer.Sample started = Timer.start(meters);
        ListTemplatesCall call = new ListTemplatesCall(new ListTemplatesCall.Filter(Long.toString(oaId), templateId),
                new ListTemplatesCall.Paging(after, TEMPLATES_PER_PAGE));
        return api.listTemplates("Bearer " + config.etelecom().apiKey(), call)
                .map(EtelecomTemplates::page)
                .onFailure().transform(failure -> ProviderException.classify(EtelecomErrors.PROVIDER, failure))
                .onTermination().invoke((page, failure, cancelled) -> started.stop(meters.timer("gateway.upstream.calls",
                        "provider", "etelecom", "operation", "ListTemplates", "outcome", cancelled ? "cancelled"
                                : failure == null ? "read" : ProviderException.outcome(EtelecomErrors.PROVIDER, failure))));
    }

    /** Longest GetShopOA answer read: eTelecom's is a few dozen fields; a larger one is not an OA. */
    static final int LONGEST_OA_ANSWER = 64 * 1024;

    /**
     * GetShopOA's answer: {@code remaining_quota} (and {@code daily_quota}, unknown when it cannot be read) of the OA
     * asked about. An answer without a readable remaining_quota, or about another OA, is no reading: nothing is guessed.
     */
    public static OaQuota quotaOf(long oaId, String answer) {
        if (answer != null && answer.length() > LONGEST_OA_ANSWER) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered GetShopOA with " + answer.length()
                    + " characters, more than an OA takes").withAnswer(answer);
        }
        JsonNode reply = read(answer, JsonNode.class);
        if (!reply.isObject()) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered GetShopOA with something the "
                    + "gateway cannot read").withAnswer(answer);
        }
        JsonNode named = reply.get("oa_id");
        if (named != null && named.isValueNode() && !named.asText().isBlank() && !named.asText().trim().equals(Long.toString(oaId))) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered GetShopOA about another OA")
                    .withAnswer(answer);
        }
        Integer remaining = OaQuota.count(reply.get("remaining_quota"));
        if (remaining == null) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered GetShopOA without a "
                    + "remaining_quota the gateway can read").withAnswer(answer);
        }
        return new OaQuota(remaining, OaQuota.count(reply.get("daily_quota")));
    }

    /** One ZNS journey message for eTelecom; {@code journeyId} is eTelecom's, {@code templateData} validated JSON. */
    public record ZnsJourneySend(String trackingId, long oaId, String journeyId, String phone, int templateId,
            String templateData) {
    }

    /** The breaker of SendZNSJourney, for the dispatcher to look at before it claims work. */
    public static final String SEND_CIRCUIT = "etelecom-send";
    /** messages.provider_message_id is varchar(64). */
    static final int LONGEST_MSG_ID = 64;

    /** The columns eTelecom's values go to: journeys.provider_ref, provider_status, journey_id, provider_phone. */
    static final int LONGEST_ID = 64;
    static final int LONGEST_STATUS = 8;
    static final int LONGEST_JOURNEY_ID = 128;
    static final int LONGEST_PHONE = 32;
    /** journey_token is text; a token longer than this is no token. */
    static final int LONGEST_TOKEN = 4000;

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper()
            .configure(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    /** eTelecom's answer read into its record; one that is not that JSON came from eTelecom, and may hide a done request. */
    static <T> T read(String answer, Class<T> type) {
        try {
            T reply = answer == null || answer.isBlank() ? null : JSON.readValue(answer, type);
            if (reply == null) {
                throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered with an empty body")
                        .withAnswer(answer);
            }
            return reply;
        } catch (com.fasterxml.jackson.core.JsonProcessingException | RuntimeException unreadable) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER,
                    "eTelecom answered with something the gateway cannot read").withAnswer(answer);
        }
    }

    /** SendZNSJourney's answer: the message eTelecom took, or why not. */
    public static SentZnsJourney sent(String answer) {
        return toSent(answer, read(answer, SendZnsJourneyReply.class));
    }

    private static SentZnsJourney toSent(String answer, SendZnsJourneyReply reply) {
        if (reply.errorCode() != null && reply.errorCode() != 0) {
            throw new ProviderException.Refused(EtelecomErrors.PROVIDER, Integer.toString(reply.errorCode()),
                    EtelecomErrors.truncate(reply.errorMessage() == null ? "" : reply.errorMessage())).withAnswer(answer);
        }
        if (isBlank(reply.msgId()) || reply.msgId().length() > LONGEST_MSG_ID) {
            // It may have been sent: never sent again; its receipt or the wait decides.
            throw new ProviderException.Transient(EtelecomErrors.PROVIDER, "eTelecom answered SendZNSJourney without a "
                    + (isBlank(reply.msgId()) ? "msg_id" : "msg_id of at most " + LONGEST_MSG_ID + " characters"))
                    .withAnswer(answer);
        }
        return new SentZnsJourney(reply.msgId(), fee(reply.feeMain(), "fee_main"), fee(reply.feeToken(), "fee_token"),
                Boolean.TRUE.equals(reply.charged()));
    }

    /** Largest fee kept (messages.fee_* are numeric(20, 6)); anything else is unknown, never a failed send. */
    private static final BigDecimal LARGEST_FEE = new BigDecimal("99999999999999");

    static BigDecimal fee(JsonNode value, String field) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        try {
            BigDecimal fee = value.isNumber() ? value.decimalValue()
                    : value.isTextual() && value.asText().length() <= 30 ? new BigDecimal(value.asText().trim()) : null;
            if (fee != null && fee.signum() >= 0 && fee.compareTo(LARGEST_FEE) <= 0) {
                return fee.setScale(Math.min(Math.max(fee.scale(), 0), 6), java.math.RoundingMode.HALF_UP);
            }
        } catch (NumberFormatException | ArithmeticException notAFee) {
            // reported below
        }
        Log.warnf("eTelecom sent a %s the gateway cannot read; the message's fee stays unknown", field);
        return null;
    }

    /**
     * A created journey, or our reason why not. No {@code error_code} at all, with a token, is a created journey: a
     * success that left out its zero. A non-zero code is eTelecom's refusal. Every value is bounded before it is
     * kept: one too long for its column is not cut (it would be another value) but fails the attempt, saying which,
     * with the raw answer kept. eTelecom may have made the token then: the attempt is not repeated by itself.
     */
    public static CreatedJourney createdJourney(String answer) {
        return toCreatedJourney(answer, read(answer, CreateJourneyReply.class));
    }

    private static CreatedJourney toCreatedJourney(String answer, CreateJourneyReply reply) {
        if (reply.errorCode() != null && reply.errorCode() != 0) {
            throw new ProviderException.Refused(EtelecomErrors.PROVIDER, Integer.toString(reply.errorCode()),
                    EtelecomErrors.truncate(reply.errorMessage() == null ? "" : reply.errorMessage())).withAnswer(answer);
        }
        if (isBlank(reply.journeyId()) || isBlank(reply.journeyToken())) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, reply.errorCode() == null
                    ? "eTelecom answered without an error_code and without a journey_id and journey_token"
                    : "eTelecom reported success without a journey_id and journey_token").withAnswer(answer);
        }
        List<String> tooLong = new ArrayList<>();
        tooLong(tooLong, "id", reply.id(), LONGEST_ID);
        tooLong(tooLong, "journey_id", reply.journeyId(), LONGEST_JOURNEY_ID);
        tooLong(tooLong, "journey_token", reply.journeyToken(), LONGEST_TOKEN);
        tooLong(tooLong, "status", reply.status(), LONGEST_STATUS);
        tooLong(tooLong, "phone", reply.phone(), LONGEST_PHONE);
        if (!tooLong.isEmpty()) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered " + String.join(", ", tooLong)
                    + ": longer than the gateway keeps, so the token cannot be used").withAnswer(answer);
        }
        return new CreatedJourney(reply.id(), reply.journeyId(), reply.journeyToken(), reply.status(),
                Boolean.TRUE.equals(reply.charged()), instantOrNull(reply.expiresAt()), instantOrNull(reply.createdAt()),
                instantOrNull(reply.updatedAt()), isBlank(reply.phone()) ? null : reply.phone());
    }

    private static void tooLong(List<String> tooLong, String field, String value, int longest) {
        if (value != null && value.length() > longest) {
            tooLong.add(field + " of " + value.length() + " characters (at most " + longest + ")");
        }
    }

    /** RFC 3339 as eTelecom sends it; anything else, or a year-1 "zero" date, counts as unknown. */
    static Instant instantOrNull(String text) {
        if (isBlank(text)) {
            return null;
        }
        try {
            Instant instant = OffsetDateTime.parse(text).toInstant();
            return instant.isBefore(Instant.EPOCH.plus(1, ChronoUnit.DAYS)) ? null : instant;
        } catch (DateTimeParseException unreadable) {
            Log.warnf("eTelecom sent an unreadable date (%d characters); keeping it unknown", text.length());
            return null;
        }
    }

    private static boolean isBlank(String text) {
        return text == null || text.isBlank();
    }
}
