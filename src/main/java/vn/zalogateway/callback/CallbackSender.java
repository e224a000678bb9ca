package vn.zalogateway.callback;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.common.annotation.NonBlocking;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.core.Vertx;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.consumer.CallbackUrls;
import vn.zalogateway.consumer.ConsumerService;

/**
 * Delivers status callbacks from the database: claims due events, signs each (Standard Webhooks), POSTs it to
 * its consumer's URL without following redirects (to the address its host was checked at, see
 * {@link CallbackReceiver}), and records the answer: a 2xx is DELIVERED; anything else, or
 * no answer within the timeout, is tried again on the contract's schedule, then FAILED. Each delivery goes on
 * its own; a consumer has at most {@code gateway.callbacks.in-flight-per-consumer} here at a time, so a slow
 * receiver holds back only its own callbacks. A consumer with a backlog is claimed for again as soon as one of
 * its deliveries ends, not at the next poll, so a fast receiver gets in-flight / its answer time callbacks a
 * second. Any number of replicas may send: claims are leased and fenced.
 */
@ApplicationScoped
public class CallbackSender {

    /** The scheduler's identities of the delivery queue's poll and of the age gauge (tests pause them). */
    public static final String POLL = "callbacks";
    static final String AGE = "callbacks-age";

    static final int BATCH = 200;
    static final long DELIVERED_TOGETHER_MILLIS = 10;
    /** How long a consumer's signing secrets are reused before they are read again (a rotation shows within it). */
    static final long SECRETS_FOR_NANOS = TimeUnit.SECONDS.toNanos(10);

    private record Secrets(List<String> secrets, long until) {
    }

    private final CallbackEvents events;
    private final ConsumerService consumers;
    private final GatewayConfig.Callbacks settings;
    private final GatewayConfig config;
    private final CallbackUrls urls;
    private final Vertx vertx;
    private final MeterRegistry meters;
    private final RetrySchedule schedule;
    /** Long enough for an attempt (bounded by its timeout) and its write; a crashed sender's claims go again after it. */
    private final Duration lease;
    private final Map<UUID, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final CallbackReceiver receiver;
    private final Map<UUID, Secrets> secrets = new ConcurrentHashMap<>();
    private final AtomicBoolean claiming = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final java.util.Queue<CallbackEvents.Delivered> toRecord = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final AtomicBoolean recordScheduled = new AtomicBoolean();
    /** Consumers whose last claim took all their free slots: a delivery of theirs that ends claims again at once. */
    private final Set<UUID> backlogged = ConcurrentHashMap.newKeySet();
    private volatile boolean stopped = true;
    private MultiGauge oldestPending;

    CallbackSender(CallbackEvents events, ConsumerService consumers, GatewayConfig config, CallbackUrls urls, Vertx vertx,
            MeterRegistry meters) {
        this.events = events;
        this.consumers = consumers;
        this.config = config;
        this.settings = config.callbacks();
        this.urls = urls;
        this.vertx = vertx;
        // Connections per receiver address: a consumer's in flight here, and room for others that share its host.
        this.receiver = new CallbackReceiver(vertx, CallbackReceiver.options(settings.timeout()), settings.inFlightPerConsumer() * 4,
                settings.timeout(), CallbackReceiver.BODY_CAP);
        this.meters = meters;
        this.schedule = new RetrySchedule(settings.retryDelays());
        this.lease = settings.timeout().multipliedBy(2).plusSeconds(5);
    }

    void start(@Observes StartupEvent started) {
        if (!settings.enabled()) {
            Log.info("Status callbacks are not sent from this instance (gateway.callbacks.enabled=false)");
            return;
        }
        stopped = false;
        oldestPending = MultiGauge.builder("gateway.callbacks.oldest.pending")
                .description("Seconds since the oldest callback still to deliver was made, per consumer").baseUnit("seconds")
                .register(meters);
    }

    /** The delivery queue's poll; the first one poll interval after the start, not during it. */
    @Scheduled(identity = POLL, every = "${gateway.callbacks.poll-interval}", delayed = "${gateway.callbacks.poll-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    @NonBlocking
    void poll() {
        round();
    }

    /** How old each consumer's oldest callback still to deliver is (the gauge gateway.callbacks.oldest.pending). */
    @Scheduled(identity = AGE, every = "10s", delayed = "10s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> measureAge() {
        if (stopped) {
            return Uni.createFrom().voidItem();
        }
        return events.oldestPending().invoke(ages -> oldestPending.register(ages.entrySet().stream().map(age -> MultiGauge.Row.of(
                Tags.of("consumer", age.getKey()), age.getValue())).toList(), true))
                .replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    Log.debugf("Measuring pending callbacks failed: %s", failure.toString());
                    return Uni.createFrom().voidItem();
                });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        stopped = true;
        if (oldestPending != null) {
            // The registry outlives the app in tests: the rows go with the bean.
            oldestPending.register(List.of(), true);
        }
        receiver.close();
    }

    /**
     * Sends a consumer's callback again now (a delivered or failed one too), unless it is being sent at this moment
     * (by any replica): that attempt is not doubled, and its outcome counts.
     */
    public Uni<CallbackEvents.Redelivery> redeliverNow(UUID consumerId, UUID id) {
        return events.redeliver(consumerId, id).invoke(redelivery -> {
            if (redelivery == CallbackEvents.Redelivery.QUEUED) {
                round();
            }
        });
    }

    /**
     * Claims what is due and sends each on its own; one claim at a time per instance. A call while a claim
     * is running is not lost: the claim runs again when it ends.
     */
    void round() {
        if (stopped) {
            return;
        }
        if (!claiming.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        int most = settings.inFlightPerConsumer();
        Map<UUID, Integer> sending = new java.util.HashMap<>();
        inFlight.forEach((consumer, count) -> sending.put(consumer, count.get()));
        events.claim(BATCH, most, sending, lease, UUID.randomUUID())
                .subscribe().with(claimed -> {
                    Map<UUID, Long> perConsumer = claimed.stream()
                            .collect(Collectors.groupingBy(CallbackEvents.Claimed::consumerId, Collectors.counting()));
                    // Whoever has all its slots taken now (by this claim or before it) probably has more waiting:
                    // the first of its slots to free up claims again.
                    java.util.function.Predicate<UUID> full = consumer ->
                            perConsumer.getOrDefault(consumer, 0L) + sending.getOrDefault(consumer, 0) >= most;
                    backlogged.removeIf(full.negate());
                    perConsumer.keySet().stream().filter(full).forEach(backlogged::add);
                    claimed.forEach(this::send);
                    claiming.set(false);
                    if (claimed.size() == BATCH || again.get()) {
                        vertx.runOnContext(ignored -> round());
                    }
                }, failure -> {
                    claiming.set(false);
                    Log.warnf("Claiming callbacks failed; the next poll retries: %s", failure.toString());
                });
    }

    private void send(CallbackEvents.Claimed event) {
        AtomicInteger count = inFlight.computeIfAbsent(event.consumerId(), id -> new AtomicInteger());
        count.incrementAndGet();
        AtomicBoolean freed = new AtomicBoolean();
        Runnable free = () -> {
            if (freed.compareAndSet(false, true)) {
                // A backlogged consumer claims again once half its slots are free: a claim for several, not one each.
                if (count.decrementAndGet() <= settings.inFlightPerConsumer() / 2 && backlogged.contains(event.consumerId())) {
                    vertx.runOnContext(ignored -> round());
                }
            }
        };
        attempt(event, free)
                .onTermination().invoke(free)
                .subscribe().with(outcome -> {
                    if (!"delivered".equals(outcome)) { // counted when written, with the others of its statement
                        meters.counter("gateway.callbacks.deliveries", "outcome", outcome).increment();
                    }
                },
                        failure -> Log.warnf("Recording callback %s failed (%s); it goes again after its lease", event.id(),
                                failure.toString()));
    }

    /**
     * One attempt and its record; the outcome's name for the metrics. The receiver's slot is {@code free}d as
     * soon as it has answered: writing the outcome does not load it, and the next claim need not wait for that.
     */
    private Uni<String> attempt(CallbackEvents.Claimed event, Runnable free) {
        if (event.callbackUrl() == null) {
            return events.attemptFailed(event.id(), event.claim(), null, "the consumer has no callback_url any more", null)
                    .replaceWith("failed");
        }
        String body = CallbackBody.render(event.eventType(), event.createdAt(), event.data(), config.timeZone());
        // On every attempt the URL's host is looked up once (blocking DNS, on a worker) and checked, and the POST
        // goes to the address that was checked: a second answer of the consumer's DNS is never asked for.
        return Uni.createFrom().item(() -> urls.target(event.callbackUrl()))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .chain(target -> target.refusal() != null
                        ? Uni.createFrom().failure(new IllegalStateException("callback_url " + target.refusal()))
                        : signingSecrets(event.consumerId()).chain(keys -> post(event, target, keys, body)))
                .onItemOrFailure().invoke(free)
                .onItemOrFailure().transformToUni((status, failure) -> record(event, status, failure));
    }

    private Uni<Integer> post(CallbackEvents.Claimed event, CallbackUrls.Target target, List<String> keys, String body) {
        if (keys.isEmpty()) {
            // Never an unsigned callback: the consumer (the built-in default, say) needs a secret first.
            return Uni.createFrom().failure(new IllegalStateException("the consumer has no callback secret: "
                    + "POST /v1/admin/consumers/" + event.consumerId() + "/callback-secret"));
        }
        long timestamp = Instant.now().getEpochSecond();
        String id = event.id().toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSignature.header(keys, id, timestamp, body));
        return receiver.post(target, headers, body);
    }

    private Uni<String> record(CallbackEvents.Claimed event, Integer status, Throwable failure) {
        if (failure == null && status / 100 == 2) {
            recordDelivered(new CallbackEvents.Delivered(event.id(), event.claim(), status));
            return Uni.createFrom().item("delivered");
        }
        String error = failure == null ? "HTTP " + status : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        Duration next = schedule.after(event.attempts());
        Log.debugf("Callback %s attempt %d failed (%s); %s", event.id(), event.attempts(), error,
                next == null ? "no attempt left: FAILED" : "next in " + next);
        return events.attemptFailed(event.id(), event.claim(), status, error, next).replaceWith(next == null ? "failed" : "retry");
    }

    /**
     * Deliveries that end close together are recorded in one statement ({@value #DELIVERED_TOGETHER_MILLIS} ms
     * apart at most): one write per callback would be most of a callback's cost. Until it is written an event
     * stays leased, so a crash in between sends it again (at least once), never loses it.
     */
    private void recordDelivered(CallbackEvents.Delivered delivered) {
        toRecord.add(delivered);
        if (recordScheduled.compareAndSet(false, true)) {
            vertx.setTimer(DELIVERED_TOGETHER_MILLIS, id -> writeDelivered());
        }
    }

    private void writeDelivered() {
        recordScheduled.set(false);
        List<CallbackEvents.Delivered> batch = new java.util.ArrayList<>();
        for (CallbackEvents.Delivered next; batch.size() < BATCH && (next = toRecord.poll()) != null;) {
            batch.add(next);
        }
        if (!toRecord.isEmpty() && recordScheduled.compareAndSet(false, true)) {
            vertx.runOnContext(ignored -> writeDelivered());
        }
        if (batch.isEmpty()) {
            return;
        }
        events.delivered(batch).onFailure().retry().withBackOff(Duration.ofMillis(20)).atMost(2)
                .subscribe().with(written -> meters.counter("gateway.callbacks.deliveries", "outcome", "delivered")
                        .increment(batch.size()),
                        failure -> Log.warnf("Recording %d delivered callbacks failed (%s); they go again after their lease",
                                batch.size(), failure.toString()));
    }

    private Uni<List<String>> signingSecrets(UUID consumerId) {
        Secrets known = secrets.get(consumerId);
        if (known != null && known.until() - System.nanoTime() > 0) {
            return Uni.createFrom().item(known.secrets());
        }
        return consumers.signingSecrets(consumerId).invoke(read -> secrets.put(consumerId,
                new Secrets(read, System.nanoTime() + SECRETS_FOR_NANOS)));
    }
}
