package vn.zalogateway.message;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.provider.ErrorClass;
import vn.zalogateway.provider.ProviderException;
import vn.zalogateway.provider.esms.EsmsClient;

/**
 * Sends the SMS fallbacks that are due, through eSMS brandname SMS, from their own outbox with the same claims,
 * leases, retries and circuit breaker as Zalo sends. The SMS's RequestId is the message's id with {@code -sms}:
 * eSMS drops a repeat within 24 h, so an SMS that may have left is only ever asked again under that same id
 * (never a second SMS); a refusal is final, and the message fails with it when Zalo failed too. The message's send
 * window holds for its SMS as for its Zalo attempt.
 */
@ApplicationScoped
class SmsFallbacks {

    private final MessageLifecycle lifecycle;
    private final EsmsClient esms;
    private final GatewayConfig.Dispatch settings;
    private final CircuitBreakerMaintenance circuitBreakers;
    private final MeterRegistry meters;

    SmsFallbacks(MessageLifecycle lifecycle, EsmsClient esms, GatewayConfig config, CircuitBreakerMaintenance circuitBreakers,
            MeterRegistry meters) {
        this.lifecycle = lifecycle;
        this.esms = esms;
        this.settings = config.dispatch();
        this.circuitBreakers = circuitBreakers;
        this.meters = meters;
    }

    /** One round: the SMS fallbacks due, claimed and sent; the number claimed. */
    Uni<Integer> round(Dispatcher.Backoff backoff) {
        if (circuitBreakers.currentState(EsmsClient.SMS_CIRCUIT) == CircuitBreakerState.OPEN) {
            return Uni.createFrom().item(0);
        }
        UUID claim = UUID.randomUUID();
        return lifecycle.claimSms(settings.batchSize(), settings.lease(), claim).chain(claimed -> claimed.isEmpty()
                ? Uni.createFrom().item(0)
                : Multi.createFrom().iterable(claimed)
                        .onItem().transformToUni(sms -> send(sms, backoff)).merge(settings.concurrency())
                        .collect().last().replaceWith(claimed.size()));
    }

    private Uni<Void> send(MessageLifecycle.ClaimedSms sms, Dispatcher.Backoff backoff) {
        Instant now = Instant.now();
        if (sms.window() != null && !sms.window().contains(now)) {
            // The message's send window holds for its SMS too: nobody is woken at night by the fallback either.
            return counted("deferred", lifecycle.smsRetryLater(sms.id(), sms.claim(), sms.window().nextOpening(now),
                    null, false));
        }
        return esms.sendSms(new EsmsClient.SmsSend(sms.id() + EsmsClient.SMS_REQUEST_SUFFIX, sms.phone(), sms.text(), sms.brandname(),
                sms.unicode(), sms.sandbox()))
                .chain(submitted -> counted("submitted", lifecycle.smsSubmitted(sms.id(), sms.claim(), submitted.smsId(),
                        submitted.note())))
                .onFailure().recoverWithUni(failure -> record(sms, failure, backoff))
                .onFailure().recoverWithItem(writeFailed -> {
                    Log.warnf("Recording the SMS of message %s failed (%s); it goes again after its lease, with the same RequestId",
                            sms.id(), writeFailed.toString());
                    return null;
                });
    }

    private Uni<Void> record(MessageLifecycle.ClaimedSms sms, Throwable failure, Dispatcher.Backoff backoff) {
        if (failure instanceof CircuitBreakerOpenException) {
            return counted("deferred", lifecycle.smsRetryLater(sms.id(), sms.claim(), Instant.now().plus(backoff.after(1)),
                    "eSMS is failing; calls are paused (circuit open)", false));
        }
        ProviderException classified = ProviderException.classify(EsmsClient.PROVIDER, failure);
        if (classified instanceof ProviderException.Refused refused) {
            return counted("failed", lifecycle.smsFailed(sms.id(), sms.claim(), new MessageLifecycle.Error(refused.code(),
                    refused.providerMessage(), ErrorClass.of("esms", refused.code(), null).wireName())));
        }
        if (sms.attempts() >= settings.maxAttempts()) {
            return counted("failed", lifecycle.smsFailed(sms.id(), sms.claim(), new MessageLifecycle.Error("retries_exhausted",
                    sms.attempts() + " attempts; the last: " + classified.getMessage(), ErrorClass.TRANSIENT.wireName())));
        }
        Duration delay = backoff.after(sms.attempts());
        return counted("retry", lifecycle.smsRetryLater(sms.id(), sms.claim(), Instant.now().plus(delay), classified.getMessage(),
                true));
    }

    private Uni<Void> counted(String outcome, Uni<Integer> record) {
        return record.invoke(written -> {
            if (written > 0) {
                meters.counter("gateway.sms.dispatched", "outcome", outcome).increment();
            }
        }).replaceWithVoid();
    }
}
