package vn.zalogateway.message;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;


import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.faulttolerance.api.CircuitBreakerState;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.common.ProviderReferencesKnown;
import vn.zalogateway.common.SendWindow;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.idempotency.IdempotencyKey;
import vn.zalogateway.journey.FailureKind;
import vn.zalogateway.journey.Journey;
import vn.zalogateway.journey.JourneyService;
import vn.zalogateway.journey.JourneyStatus;
import vn.zalogateway.journey.JourneyUse;
import vn.zalogateway.journey.NewJourney;
import vn.zalogateway.journey.TokenType;
import vn.zalogateway.provider.ErrorClass;
import vn.zalogateway.provider.ProviderException;
import vn.zalogateway.provider.esms.EsmsClient;
import vn.zalogateway.provider.etelecom.EtelecomClient;

/**
 * Drains the outbox: claims due messages and hands each to its provider: a transaction message to eSMS;
 * a ZNS journey message to eTelecom, after creating its journey token first where one was asked for
 * (one pipeline: CreateJourney, then SendZNSJourney with the new token). Then it records the outcome. Transient failures go back to the outbox with
 * a backoff, so retries survive a restart; a message is never held in memory only.
 */
@ApplicationScoped
public class Dispatcher {

    /** The scheduler's identity of the outbox's poll (tests pause it). */
    public static final String POLL = "dispatch";

    /** Error codes of a send, or of its journey token, that may have reached eTelecom and is not made again. */
    static final String SEND_OUTCOME_UNKNOWN = "send_outcome_unknown";
    static final String JOURNEY_OUTCOME_UNKNOWN = "journey_outcome_unknown";

    /** Our own Idempotency-Key namespace for journeys created on a message's behalf (one per message). */
    static final String GATEWAY_CONSUMER = "gateway";
    static final String MESSAGE_JOURNEY = "message-journey";

    private final MessageLifecycle lifecycle;
    private final SmsFallbacks smsFallbacks;
    private final EsmsClient esms;
    private final EtelecomClient etelecom;
    private final JourneyService journeys;
    private final GatewayConfig.Dispatch settings;
    private final Vertx vertx;
    private final MeterRegistry meters;
    private final CircuitBreakerMaintenance circuitBreakers;
    private final Event<ProviderReferencesKnown> referencesKnown;

    /** Within quarkus.shutdown.timeout and Kubernetes' grace period (deploy/base/deployment.yaml). */
    public static final java.time.Duration DRAIN_ON_SHUTDOWN = java.time.Duration.ofSeconds(10);

    /** Renewed every third of itself: shorter, and renewals would be most of the dispatcher's statements. */
    static final Duration SHORTEST_LEASE = Duration.ofSeconds(1);

    private final AtomicBoolean draining = new AtomicBoolean();
    private final AtomicBoolean wanted = new AtomicBoolean();
    private volatile boolean stopped = true;
    private volatile Context home;

    Dispatcher(MessageLifecycle lifecycle, SmsFallbacks smsFallbacks, EsmsClient esms, EtelecomClient etelecom, JourneyService journeys, GatewayConfig config,
            Vertx vertx, MeterRegistry meters, CircuitBreakerMaintenance circuitBreakers,
            Event<ProviderReferencesKnown> referencesKnown) {
        this.lifecycle = lifecycle;
        this.smsFallbacks = smsFallbacks;
        this.esms = esms;
        this.etelecom = etelecom;
        this.journeys = journeys;
        this.settings = config.dispatch();
        this.vertx = vertx;
        this.meters = meters;
        this.circuitBreakers = circuitBreakers;
        this.referencesKnown = referencesKnown;
    }

    void start(@Observes StartupEvent started) {
        if (settings.lease().compareTo(SHORTEST_LEASE) < 0) {
            throw new IllegalStateException("gateway.dispatch.lease is " + settings.lease() + ": it must be at least "
                    + SHORTEST_LEASE + " (it is renewed every third of it while a message is in flight)");
        }
        if (!settings.enabled()) {
            Log.info("Message dispatch is disabled on this instance (gateway.dispatch.enabled=false)");
            return;
        }
        home = vertx.getOrCreateContext();
        stopped = false;
    }

    /**
     * The outbox's poll: messages that came due (scheduled, retried, left behind by a crash or a restart on any
     * replica) go in the next round. The first poll comes one interval after the start, so that it does not
     * compete with the rest of the start for the CPU.
     */
    @Scheduled(identity = POLL, every = "${gateway.dispatch.poll-interval}", delayed = "${gateway.dispatch.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @NonBlocking
    void poll() {
        kick();
    }

    /**
     * Graceful shutdown: no new round starts, and the round in flight may finish its eSMS calls and
     * record them (bounded by {@link #DRAIN_ON_SHUTDOWN}). A round cut short loses nothing: its messages
     * go again after their lease, with the same RequestId.
     */
    void stop(@Observes ShutdownEvent shutdown) throws InterruptedException {
        stopped = true;
        long deadline = System.nanoTime() + DRAIN_ON_SHUTDOWN.toNanos();
        while (draining.get() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        if (draining.get()) {
            Log.warn("Shutting down with a dispatch round in flight; its messages go again after their lease");
        }
    }

    /** Asks for a round soon. One round runs at a time per instance; a kick during a round buys one more. */
    public void kick() {
        if (stopped) {
            return;
        }
        wanted.set(true);
        if (draining.compareAndSet(false, true)) {
            home.runOnContext(ignored -> round());
        }
    }

    private void round() {
        wanted.set(false);
        drain().subscribe().with(
                claimed -> {
                    draining.set(false);
                    if (claimed == settings.batchSize() || wanted.get()) {
                        kick();
                    }
                },
                failure -> {
                    draining.set(false);
                    Log.warnf("Dispatch round failed, the next poll retries: %s", failure.toString());
                });
    }

    /**
     * One round: claim what is due and dispatch it. Rounds may race (here or on other replicas) safely.
     * Each outcome is written as soon as it is known (submissions that finish together share one
     * statement), under the round's claim token; the lease of what is still in flight is renewed every
     * third of it, so a slow round never loses its messages to another dispatcher.
     */
    public Uni<Integer> drain() {
        // A provider that is failing: leave its messages in the outbox rather than spend their attempts.
        Set<MessageKind> kinds = EnumSet.allOf(MessageKind.class);
        if (circuitBreakers.currentState(EsmsClient.CIRCUIT) == CircuitBreakerState.OPEN) {
            kinds.remove(MessageKind.TRANSACTION);
        }
        if (circuitBreakers.currentState(EtelecomClient.SEND_CIRCUIT) == CircuitBreakerState.OPEN) {
            kinds.remove(MessageKind.ZNS_JOURNEY);
        }
        UUID claim = UUID.randomUUID();
        Uni<Integer> zalo = kinds.isEmpty() ? Uni.createFrom().item(0) : lifecycle.claim(settings.batchSize(), settings.lease(), claim, kinds)
                .chain(claimed -> claimed.isEmpty() ? Uni.createFrom().item(0) : dispatchAll(claimed, claim));
        // The SMS fallbacks due go in the same round, from their own outbox.
        return zalo.chain(claimed -> smsFallbacks.round(this::backoff).map(sms -> Math.max(claimed, sms)));
    }

    /** How long to wait before an attempt, by how many were made. */
    @FunctionalInterface
    interface Backoff {
        Duration after(int attempts);
    }

    private Uni<Integer> dispatchAll(List<MessageLifecycle.Claimed> claimed, UUID claim) {
        Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
        claimed.forEach(message -> inFlight.add(message.id()));
        long renewal = vertx.setPeriodic(settings.lease().toMillis() / 3, id -> lifecycle.renew(List.copyOf(inFlight), claim,
                settings.lease()).subscribe().with(renewed -> { }, failure -> Log.warnf(
                        "Renewing the lease of %d messages failed: %s", inFlight.size(), failure.toString())));
        return Multi.createFrom().iterable(claimed)
                // A chained journey goes through Panache (a session per context): give it its own.
                .onItem().transformToUni(message -> (createsJourney(message) ? FreshContext.run(vertx, () -> dispatch(message))
                        : dispatch(message)).eventually(() -> inFlight.remove(message.id())))
                .merge(settings.concurrency())
                .group().intoLists().of(settings.concurrency(), SUBMISSIONS_TOGETHER)
                // The timed grouping emits when its time is up, asked or not: hold what the writes have not taken yet.
                .onOverflow().buffer(settings.batchSize())
                .onItem().transformToUniAndConcatenate(this::recordSubmitted)
                .collect().last()
                .onTermination().invoke(() -> vertx.cancelTimer(renewal))
                .replaceWith(claimed.size());
    }

    /** The longest pause between two tries of a submission write. */
    static final Duration WRITE_RETRY_AT_MOST_EVERY = Duration.ofSeconds(1);

    /** How long submissions that finish close together wait to share one statement. */
    static final Duration SUBMISSIONS_TOGETHER = Duration.ofMillis(20);

    /**
     * Tried again for up to half the lease (PostgreSQL restarting, a failover), while the claim still holds: a write
     * given up costs a transaction message a second call (same RequestId, which eSMS drops) and leaves a ZNS journey
     * message's outcome unknown for good (it is never sent again, and its receipts name an id it never learned). What
     * is still not written goes again after its lease, with the same RequestId.
     */
    private Uni<Void> recordSubmitted(List<MessageLifecycle.Submission> submissions) {
        return heldWhileDatabaseAway(lifecycle.submitted(submissions))
                .invoke(recorded -> {
                    meters.counter("gateway.messages.dispatched", "outcome", "submitted").increment(recorded);
                    if (recorded < submissions.size()) {
                        Log.warnf("%d of %d submissions were not recorded: their claim was lost to another dispatcher",
                                submissions.size() - recorded, submissions.size());
                    }
                    referencesKnown.fire(new ProviderReferencesKnown());
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("Recording %d submissions failed (%s); they go again after their lease with the same RequestId",
                            submissions.size(), failure.toString());
                    return 0;
                })
                .replaceWithVoid();
    }

    /** An outcome's write, tried again while the claim still holds (see {@link #recordSubmitted}). */
    private <T> Uni<T> heldWhileDatabaseAway(Uni<T> write) {
        return write.onFailure().retry().withBackOff(Duration.ofMillis(20), WRITE_RETRY_AT_MOST_EVERY)
                .expireIn(settings.lease().dividedBy(2).toMillis());
    }

    /** Whether dispatching the message creates its journey token first. */
    private static boolean createsJourney(MessageLifecycle.Claimed message) {
        return message.journeyPhone() != null && message.journeyRef() == null;
    }

    /**
     * The submission, or nothing when the message failed or waits (recorded already). Nothing is sent outside the
     * message's send window, nor for an OA whose queue is held for quota: the message waits for the window's next
     * opening, or the hold's end (or its SMS goes at once).
     */
    private Uni<MessageLifecycle.Submission> dispatch(MessageLifecycle.Claimed message) {
        Instant now = Instant.now();
        if (message.window() != null && !message.window().contains(now)) {
            return counted("deferred", lifecycle.outsideWindow(message, message.window().nextOpening(now)))
                    .replaceWith((MessageLifecycle.Submission) null);
        }
        if (message.heldUntil() != null) {
            return counted("held", lifecycle.held(message, message.heldUntil())).replaceWith((MessageLifecycle.Submission) null);
        }
        if (message.kind() == MessageKind.ZNS_JOURNEY && MessageLifecycle.SEND_STARTED.equals(message.errorCode())) {
            // An earlier claim called SendZNSJourney and wrote no outcome (it died, or its write failed): it may have gone.
            return counted("unknown", lifecycle.outcomeUnknown(message.id(), message.claim(), SEND_OUTCOME_UNKNOWN,
                    "An earlier attempt called SendZNSJourney and its outcome was never recorded; the message may have been "
                            + "sent, so it is not sent again: a receipt or the wait decides", null))
                    .replaceWith((MessageLifecycle.Submission) null);
        }
        Uni<MessageLifecycle.Submission> sent = message.kind() == MessageKind.TRANSACTION ? sendTransaction(message)
                : sendJourneyMessage(message);
        // A refusal's write waits out the database like a submission's: given up, a refused ZNS journey message would
        // end UNCONFIRMED (its next claim finds the send started and cannot know), a transaction message be sent again.
        return sent.onFailure().recoverWithUni(failure -> heldWhileDatabaseAway(recordFailure(message, failure))
                .onFailure().recoverWithItem(writeFailed -> {
                    Log.warnf("Recording the outcome of message %s failed (%s); it goes again after its lease",
                            message.id(), writeFailed.toString());
                    return null;
                })
                .replaceWith((MessageLifecycle.Submission) null));
    }

    private Uni<MessageLifecycle.Submission> sendTransaction(MessageLifecycle.Claimed message) {
        return esms.send(new EsmsClient.Send(message.id().toString(), message.oaId(), message.userId(),
                message.zaloPayload(), message.sandbox()))
                .map(submitted -> new MessageLifecycle.Submission(message.id(), message.claim(), submitted.smsId(), null, null,
                        submitted.note(), submitted.answer()));
    }

    /** The token first (the linked journey's, or a new one), then SendZNSJourney with it: one pipeline. */
    private Uni<MessageLifecycle.Submission> sendJourneyMessage(MessageLifecycle.Claimed message) {
        return providerJourneyId(message)
                // Marked before the call: a crash or a lost write after it must not bring a second send.
                .call(journeyId -> lifecycle.sendStarted(message.id(), message.claim()).invoke(marked -> {
                    if (marked == 0) {
                        throw new ProviderException.NotSent(EtelecomClient.PROVIDER, "the message's claim was lost before sending");
                    }
                }))
                // SendZNSJourney not called yet: whatever failed (the database, say) sent nothing, and is no unknown outcome.
                // The token step guards itself: its journey row under the message's key is never repeated blindly.
                .onFailure(failure -> !(failure instanceof JourneyRefused || failure instanceof JourneyService.AttemptInFlight
                        || failure instanceof ProviderException.NotSent))
                .transform(failure -> new ProviderException.NotSent(EtelecomClient.PROVIDER,
                        "nothing was sent: the step before SendZNSJourney failed (" + failure.getMessage() + ")"))
                .chain(journeyId -> etelecom.sendZnsJourney(new EtelecomClient.ZnsJourneySend(message.id().toString(),
                        message.oaId(), journeyId, message.phone(), message.templateId(), message.templateData())))
                .map(sent -> new MessageLifecycle.Submission(message.id(), message.claim(), sent.msgId(), sent.feeMain(), sent.feeToken(),
                        null, null));
    }

    /**
     * eTelecom's id of the journey whose token carries the message: the linked journey's, if it can still
     * carry it (checked again: it may have expired or timed out while the message waited), or a new one's.
     */
    private Uni<String> providerJourneyId(MessageLifecycle.Claimed message) {
        if (message.journey() != null) {
            JourneyUse.Refusal refusal = JourneyUse.refusal(message.journey().status(), message.journey().expiresAt(),
                    Instant.now());
            return refusal == null ? Uni.createFrom().item(message.journey().providerJourneyId())
                    : Uni.createFrom().failure(new JourneyRefused(refusal.code(), "The journey " + message.journeyRef()
                            + " " + refusal.reason() + "; nothing was sent"));
        }
        return createJourney(message);
    }

    /** The chained journey, created (once per message, by our own idempotency key) before anything is sent. */
    private Uni<String> createJourney(MessageLifecycle.Claimed message) {
        NewJourney request = new NewJourney(message.oaId(), message.journeyPhone(),
                TokenType.fromWireName(message.journeyTokenType()).orElse(TokenType.DEFAULT));
        IdempotencyKey key = IdempotencyKey.of(GATEWAY_CONSUMER, MESSAGE_JOURNEY, message.id().toString(),
                request.fingerprint());
        return journeys.createOnce(message.consumerId(), request, key)
                .chain(result -> link(message, result.journey()));
    }

    /**
     * Links a journey that settles the message's fate: one that can carry it, or one that never will.
     * An attempt that never reached eTelecom is not linked: the next dispatch tries again under the same key.
     * One that may have reached it (a 5xx, a timeout, a gateway that stopped mid-call) is never made again
     * ({@link JourneyService#createOnce}), found by this or any later claim.
     */
    private Uni<String> link(MessageLifecycle.Claimed message, Journey journey) {
        if (journey.status() == JourneyStatus.FAILED && journey.failureKind() == FailureKind.NOT_REACHED) {
            return Uni.createFrom().failure(new ProviderException.NotSent("eTelecom",
                    "creating the journey failed: " + journey.errorMessage()));
        }
        if (journey.status() == JourneyStatus.FAILED && journey.failureKind() != FailureKind.REFUSED) {
            // eTelecom may have made a token nobody knows of: a second one, once used, would be charged again.
            Uni<Void> linked = lifecycle.linkJourney(message.id(), journey.id());
            return linked.chain(() -> Uni.createFrom().failure(new JourneyRefused(JOURNEY_OUTCOME_UNKNOWN,
                    "Creating the message's journey token may have reached eTelecom (" + journey.errorMessage()
                            + "); no second token is made and nothing was sent")));
        }
        JourneyRefused refused = journey.status() == JourneyStatus.FAILED
                ? new JourneyRefused("journey_refused", "eTelecom refused the journey: " + journey.errorCode() + " "
                        + journey.errorMessage())
                : refusal(journey);
        Uni<Void> linked = lifecycle.linkJourney(message.id(), journey.id());
        return refused == null ? linked.replaceWith(journey.journeyId())
                : linked.chain(() -> Uni.createFrom().failure(refused));
    }

    /** Why a new journey can never carry the message, or null when it can. */
    private static JourneyRefused refusal(Journey journey) {
        JourneyUse.Refusal refusal = JourneyUse.refusal(journey.status(), journey.expiresAt(), Instant.now());
        return refusal == null ? null : new JourneyRefused(refusal.code(), "eTelecom created the journey, but it "
                + refusal.reason() + "; nothing was sent");
    }

    private Uni<Void> recordFailure(MessageLifecycle.Claimed message, Throwable failure) {
        if (failure instanceof JourneyRefused refused) {
            return counted("failed", lifecycle.zaloFailed(message, new MessageLifecycle.Error(refused.code, refused.getMessage(),
                    ErrorClass.UNKNOWN.wireName()), null));
        }
        if (failure instanceof JourneyService.AttemptInFlight inFlight) {
            // The token step of an earlier claim (a crash, a lost lease): its outcome is known once its lease is over,
            // recorded by its request or given up. Waiting for it is no attempt.
            Duration wait = Duration.between(Instant.now(), inFlight.judgedAt()).plus(JOURNEY_JUDGED_MARGIN);
            return counted("deferred", lifecycle.retryLater(message.id(), message.claim(),
                    due(message, wait.compareTo(backoff(1)) > 0 ? wait : backoff(1)), "retrying",
                    "The message's journey token is still being created by an earlier attempt; it is waited for, never "
                            + "made twice", false, null));
        }
        if (failure instanceof CircuitBreakerOpenException) {
            // No call was made, so it was no attempt.
            return counted("deferred", lifecycle.retryLater(message.id(), message.claim(), due(message, backoff(1)), "retrying",
                    (message.kind() == MessageKind.TRANSACTION ? "eSMS" : "eTelecom")
                            + " is failing; calls are paused (circuit open)", false, null));
        }
        ProviderException classified = ProviderException.classify(
                message.kind() == MessageKind.TRANSACTION ? EsmsClient.PROVIDER : EtelecomClient.PROVIDER, failure);
        if (classified instanceof ProviderException.Refused refused) {
            ErrorClass errorClass = ErrorClass.of(message.kind().sender(), refused.code(), null);
            if (errorClass == ErrorClass.QUOTA) {
                // The provider says the OA's quota is spent: the OA is held, this message with it (or its SMS goes).
                return counted("held", lifecycle.quotaSpent(message));
            }
            return counted("failed", lifecycle.zaloFailed(message, new MessageLifecycle.Error(refused.code(), refused.providerMessage(),
                    errorClass.wireName()), refused.answer()));
        }
        if (message.kind() == MessageKind.ZNS_JOURNEY && classified.mayHaveArrived()) {
            // eTelecom documents no dropping of a repeated tracking_id: a resend may be a second, charged message.
            return counted("unknown", lifecycle.outcomeUnknown(message.id(), message.claim(), SEND_OUTCOME_UNKNOWN,
                    classified.getMessage() + "; the message may have been sent, so it is not sent again: a receipt or the wait decides",
                    classified.answer()));
        }
        if (message.attempts() >= settings.maxAttempts()) {
            return counted("failed", lifecycle.zaloFailed(message, new MessageLifecycle.Error("retries_exhausted",
                    message.attempts() + " attempts; the last: " + classified.getMessage(), ErrorClass.TRANSIENT.wireName()),
                    classified.answer()));
        }
        Duration delay = backoff(message.attempts());
        Log.debugf("Message %s: attempt %d failed (%s); next in %s", message.id(), message.attempts(),
                classified.getMessage(), delay);
        return counted("retry", lifecycle.retryLater(message.id(), message.claim(), due(message, delay), "retrying",
                classified.getMessage(), true, classified.answer()));
    }

    /** After an in-flight token step's lease: the sweeper or the next claim finds it over then, not a moment early. */
    static final Duration JOURNEY_JUDGED_MARGIN = Duration.ofMillis(500);

    /** When a message tried again after {@code delay} is due: then, or its send window's next opening. */
    private static Instant due(MessageLifecycle.Claimed message, Duration delay) {
        Instant due = Instant.now().plus(delay);
        return message.window() == null ? due : message.window().nextOpening(due);
    }

    /** base * 2^(attempt-1), at most the configured maximum, with up to 20% jitter so retries spread out. */
    Duration backoff(int attempt) {
        long base = settings.backoffBase().toMillis();
        long exponential = base << Math.min(attempt - 1, 20);
        long capped = Math.min(exponential, settings.backoffMax().toMillis());
        return Duration.ofMillis(capped + ThreadLocalRandom.current().nextLong(capped / 5 + 1));
    }

    /** Counts an outcome that was written (a lost claim writes nothing, and is logged instead). */
    private Uni<Void> counted(String outcome, Uni<Integer> record) {
        return record.invoke(written -> {
            if (written > 0) {
                meters.counter("gateway.messages.dispatched", "outcome", outcome).increment();
            } else {
                Log.debugf("A %s outcome was not written: the message's claim was lost to another dispatcher", outcome);
            }
        }).replaceWithVoid();
    }

    /** The message's journey cannot carry it: final, nothing is sent. */
    static final class JourneyRefused extends RuntimeException {
        final String code;

        JourneyRefused(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }
}
