package vn.zalogateway.provider.etelecom;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.AsynchronousNonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerName;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.PhoneNumbers;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.provider.ProviderException;

/**
 * Creates journey tokens at eTelecom. Each attempt has its own timeout; only transient failures (5xx,
 * broken connections, timeouts) are retried, with exponential backoff; a failing eTelecom opens the
 * circuit so that consumers get a fast 502 instead of piling up on it.
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
    @Retry(maxRetries = 2, delay = 200, jitter = 100, maxDuration = 30_000,
            retryOn = { ProviderException.Transient.class, TimeoutException.class })
    @ExponentialBackoff(factor = 3, maxDelay = 2000)
    @CircuitBreakerName("etelecom")
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.5, delay = 10_000, successThreshold = 2,
            skipOn = ProviderException.Refused.class)
    public Uni<CreatedJourney> createJourney(long oaId, String phone, String tokenType) {
        Timer.Sample started = Timer.start(meters);
        CreateJourneyCall call = new CreateJourneyCall(Long.toString(oaId), phone, tokenType);
        return api.createJourney("Bearer " + config.etelecom().apiKey(), call)
                .map(EtelecomClient::toCreatedJourney)
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

    private static CreatedJourney toCreatedJourney(CreateJourneyReply reply) {
        if (reply == null) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered with an empty body");
        }
        if (reply.errorCode() == null) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered without an error_code");
        }
        if (reply.errorCode() != 0) {
            throw new ProviderException.Refused(EtelecomErrors.PROVIDER, Integer.toString(reply.errorCode()),
                    EtelecomErrors.truncate(reply.errorMessage() == null ? "" : reply.errorMessage()));
        }
        if (isBlank(reply.journeyId()) || isBlank(reply.journeyToken())) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER,
                    "eTelecom reported success without a journey_id and journey_token");
        }
        return new CreatedJourney(reply.id(), reply.journeyId(), reply.journeyToken(), reply.status(),
                Boolean.TRUE.equals(reply.charged()), instantOrNull(reply.expiresAt()));
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
