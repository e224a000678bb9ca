package vn.zalogateway.receipt;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.LockModeType;

import org.hibernate.reactive.mutiny.Mutiny;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.common.GroupCommit;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.Sha256;
import vn.zalogateway.common.problem.DatabaseUnavailable;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;
import vn.zalogateway.journey.Journey;
import vn.zalogateway.journey.JourneyStatus;
import vn.zalogateway.message.MessageStatus;
import vn.zalogateway.provider.nxcloud.NxcloudCodes;
import vn.zalogateway.common.ProviderReferencesKnown;

/**
 * Takes receipts in: in one transaction the receipt's message or journey is locked, the raw receipt
 * stored (deduplicated by its natural key with {@code ON CONFLICT DO NOTHING}) and applied through the
 * forward-only {@link Transitions}; the webhook answers after the commit. Message receipts that arrive
 * together share one transaction ({@link GroupCommit}, {@link ReceiptBatchStore}). If applying fails, the
 * raw receipt is still stored. A receipt whose message or journey is not known yet stays unmatched, and is
 * applied when it becomes known.
 * <p>
 * Every transaction here is a Hibernate Reactive <em>stateless</em> one: each statement is explicit and
 * nothing is tracked, so there is no persistence context to fill, dirty-check or flush per receipt.
 */
@ApplicationScoped
public class ReceiptService {

    public static final String NXCLOUD = "nxcloud";
    public static final String ESMS = "esms";
    private static final int SWEEP_BATCH = 500;
    private static final long SWEEP_SPACING_MS = 200;

    private final Mutiny.SessionFactory sessions;
    private final MeterRegistry meters;
    private final Vertx vertx;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicBoolean sweepWanted = new AtomicBoolean();
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();
    private final AtomicLong waiting = new AtomicLong();
    // Meters by provider (and status), looked up once rather than on every receipt.
    private final Map<String, Counter> receivedCounters = new ConcurrentHashMap<>();
    private final Map<String, Counter> duplicateCounters = new ConcurrentHashMap<>();
    private final Map<String, Timer> lag = new ConcurrentHashMap<>();
    private long timer = -1;
    private final Pool pool;
    private final ReceiptBatchStore batchStore;
    private final GroupCommit<ReceiptBatch.Incoming> batches;
    private final DistributionSummary batchSizes;
    private final Counter failedBatches;
    private final Counter unmatched;
    /** Removed when this bean stops: a registry that outlives the app (tests restart it) would keep showing it. */
    private Gauge waitingGauge;

    ReceiptService(Mutiny.SessionFactory sessions, MeterRegistry meters, Vertx vertx, Pool pool, ReceiptBatchStore batchStore,
            GatewayConfig config) {
        this.pool = pool;
        this.batchStore = batchStore;
        this.batchSizes = DistributionSummary.builder("gateway.receipts.batch.size")
                .description("Message receipts stored and applied in one transaction").register(meters);
        this.failedBatches = Counter.builder("gateway.receipts.batches.failed")
                .description("Batches of receipts that failed and were written again one receipt at a time").register(meters);
        this.unmatched = meters.counter("gateway.receipts.unmatched");
        this.batches = new GroupCommit<>(config.receipts().largestBatch(), config.receipts().batchWriters(), this::writeBatch,
                incoming -> FreshContext.run(vertx, () -> receiveAlone(incoming.provider(), incoming.receipt(), incoming.raw())),
                DatabaseUnavailable::is);
        this.sessions = sessions;
        this.meters = meters;
        this.vertx = vertx;
    }

    /**
     * Stores a receipt and applies it; a receipt that cannot be read is stored too (for inspection),
     * then refused with a 400 listing why. When the caller sees success, the receipt is committed.
     */
    public Uni<Void> receive(String provider, String raw, Supplier<ParsedReceipt> reader) {
        ParsedReceipt receipt;
        try {
            receipt = reader.get();
        } catch (UnreadableReceipt unreadable) {
            received(provider, "invalid").increment();
            return storeInvalid(provider, raw, unreadable.violations())
                    .chain(() -> Uni.createFrom().failure(ProblemException.invalid(unreadable.violations())));
        }
        received(provider, receipt.status().wireName()).increment();
        if (receipt.sentAt() != null) {
            lag.computeIfAbsent(provider, key -> meters.timer("gateway.receipts.lag", "provider", provider))
                    .record(java.time.Duration.between(receipt.sentAt(), clock.instant()).abs());
        }
        if (!receipt.status().aboutJourney()) {
            return batches.submit(new ReceiptBatch.Incoming(provider, receipt, raw));
        }
        return receiveAlone(provider, receipt, raw);
    }

    /**
     * Message receipts that arrive together are stored and applied together ({@link ReceiptBatchStore}): one
     * transaction of three statements for the batch instead of one of four for each receipt.
     */
    private Uni<Void> writeBatch(List<ReceiptBatch.Incoming> received) {
        batchSizes.record(received.size());
        return batchStore.write(received, clock.instant()).onFailure().invoke(failure -> {
            failedBatches.increment();
            Log.warnf("A batch of %d receipts failed (%s)", received.size(), failure.toString());
        }).invoke(outcome -> {
            outcome.duplicates().forEach(duplicate -> duplicates(duplicate.provider()).increment());
            unmatched.increment(outcome.unmatched());
            if (outcome.learnedSmsId()) {
                sweepShortly();
            }
        }).replaceWithVoid();
    }

    /** A receipt in a transaction of its own: journey receipts, and each of a batch that failed. */
    private Uni<Void> receiveAlone(String provider, ParsedReceipt receipt, String raw) {
        Applicable applicable = new Applicable(receipt.status(), receipt.code(), receipt.message(), receipt.requestId(),
                receipt.journeyId(), receipt.messageId());
        return sessions.withStatelessTransaction(session -> storeAndApply(session, provider, receipt, raw, applicable))
                .invoke(this::afterApplied).replaceWithVoid()
                .onFailure(failure -> !DatabaseUnavailable.is(failure)).recoverWithUni(failure -> {
                    // Applying must never cost the receipt: keep it unmatched, the sweeper applies it later.
                    Log.warnf("Applying a %s %s receipt failed (%s); storing it unmatched for a later sweep", provider,
                            receipt.status().wireName(), failure.toString());
                    return sessions.withStatelessTransaction(session -> store(session, provider, receipt, raw, null, clock.instant()))
                            .replaceWithVoid();
                });
    }

    /**
     * One transaction: the message or journey is locked first, so the receipt is stored already matched
     * and the state moves under that lock; a duplicate (stored before) moves nothing.
     */
    private Uni<Target> storeAndApply(Mutiny.StatelessSession session, String provider, ParsedReceipt receipt, String raw,
            Applicable applicable) {
        Instant now = clock.instant();
        return lock(session, applicable).chain(target -> store(session, provider, receipt, raw, target, now)
                .chain(stored -> stored && target != null ? move(session, target, applicable, now) : Uni.createFrom().voidItem())
                .replaceWith(target));
    }

    /** A message that learned its SMSID from this receipt: receipts that waited for that SMSID can go now. */
    private void afterApplied(Target target) {
        if (target instanceof LockedMessage message && message.learnedSmsId()) {
            sweepShortly();
        }
    }

    private Counter duplicates(String provider) {
        return duplicateCounters.computeIfAbsent(provider, key -> meters.counter("gateway.receipts.duplicates", "provider", provider));
    }

    private Counter received(String provider, String status) {
        return receivedCounters.computeIfAbsent(provider + '|' + status,
                key -> meters.counter("gateway.receipts", "provider", provider, "status", status));
    }

    /**
     * Whether the receipt was new (false: a duplicate, stored before); unmatched when target is null.
     * Native SQL: Hibernate Reactive translates an HQL mutation again on every execution, which cost
     * more. A row count rather than {@code RETURNING id}: Hibernate caches native selects badly (every
     * execution a new plan-cache entry with the same hash), which cost a sixth of the webhook's CPU.
     */
    private Uni<Boolean> store(Mutiny.StatelessSession session, String provider, ParsedReceipt receipt, String raw,
            Target target, Instant now) {
        ParsedReceipt.ZaloAnswer zalo = receipt.zalo();
        return session.createNativeQuery("""
                insert into receipts (provider, natural_key, valid, status, code, message, request_id, journey_id, oa_id,
                    sent_at, cost_currency, cost_amount, remaining_quota, daily_quota, ext, raw_body, received_at,
                    message_id, message_ref, journey_ref, applied_at, app_id, provider_timestamp, zalo_error, zalo_message,
                    zalo_sys_msg, zalo_cus_msg, zalo_msg_id, zalo_sent_at, zalo_sending_mode, unreadable)
                values (:provider, :key, true, :status, :code, :message, :requestId, :journeyId, :oaId,
                    :sentAt, :currency, :amount, :remaining, :daily, :ext, :raw, :now,
                    :messageId, :messageRef, :journeyRef, :appliedAt, :appId, :providerTime, :zaloError, :zaloMessage,
                    :zaloSysMsg, :zaloCusMsg, :zaloMsgId, :zaloSentAt, :zaloSendingMode, :unreadable)
                on conflict (provider, natural_key) do nothing""")
                .setParameter("provider", provider)
                .setParameter("key", receipt.naturalKey())
                .setParameter("status", receipt.status().wireName())
                .setParameter("code", receipt.code())
                .setParameter("message", receipt.message())
                .setParameter("requestId", receipt.requestId())
                .setParameter("journeyId", receipt.journeyId())
                .setParameter("oaId", receipt.oaId())
                .setParameter("sentAt", receipt.sentAt())
                .setParameter("currency", receipt.costCurrency())
                .setParameter("amount", receipt.costAmount())
                .setParameter("remaining", receipt.remainingQuota())
                .setParameter("daily", receipt.dailyQuota())
                .setParameter("ext", receipt.ext())
                .setParameter("raw", raw)
                .setParameter("now", now)
                .setParameter("messageId", receipt.messageId())
                .setParameter("messageRef", target instanceof LockedMessage ? target.id() : null)
                .setParameter("journeyRef", target instanceof LockedJourneys ? target.id() : null)
                .setParameter("appliedAt", target == null ? null : now)
                .setParameter("appId", receipt.appId())
                .setParameter("providerTime", receipt.providerTime())
                .setParameter("zaloError", zalo == null ? null : zalo.error())
                .setParameter("zaloMessage", zalo == null ? null : zalo.message())
                .setParameter("zaloSysMsg", zalo == null ? null : zalo.sysMsg())
                .setParameter("zaloCusMsg", zalo == null ? null : zalo.cusMsg())
                .setParameter("zaloMsgId", zalo == null ? null : zalo.msgId())
                .setParameter("zaloSentAt", zalo == null ? null : zalo.sentAt())
                .setParameter("zaloSendingMode", zalo == null ? null : zalo.sendingMode())
                .setParameter("unreadable", receipt.unreadable().isEmpty() ? null
                        : ReceiptColumns.clip(String.join("; ", receipt.unreadable()), ReceiptColumns.UNREADABLE))
                .executeUpdate()
                .map(inserted -> {
                    if (inserted == 0) {
                        duplicates(provider).increment();
                        return false;
                    }
                    if (target == null) {
                        unmatched.increment();
                    }
                    return true;
                });
    }

    private Uni<Void> storeInvalid(String provider, String raw, List<Violation> violations) {
        String problem = violations.stream().map(v -> v.field() + " " + v.message()).reduce((a, b) -> a + "; " + b).orElse("");
        return sessions.withStatelessTransaction(session -> session.createNativeQuery("""
                insert into receipts (provider, natural_key, valid, problem, raw_body, received_at)
                values (:provider, :key, false, :problem, :raw, :now)
                on conflict (provider, natural_key) do nothing""")
                .setParameter("provider", provider)
                .setParameter("key", "invalid|" + Sha256.hex(raw == null ? "" : raw))
                .setParameter("problem", problem.length() > 500 ? problem.substring(0, 500) : problem)
                .setParameter("raw", raw == null ? "" : ReceiptColumns.storable(raw))
                .setParameter("now", clock.instant())
                .executeUpdate()).replaceWithVoid();
    }

    /** What applying a receipt needs to know of it. */
    private record Applicable(ReceiptStatus status, Integer code, String message, String requestId,
            String journeyId, UUID messageId) {
    }

    /** What a receipt is about, locked until its transaction ends. */
    private sealed interface Target permits LockedMessage, LockedJourneys {
        UUID id();
    }

    /** {@code learnedSmsId}: the message had no SMSID and took the receipt's. */
    private record LockedMessage(UUID id, MessageStatus status, boolean learnedSmsId) implements Target {
    }

    /** Every journey with the receipt's journey id (the first one is the receipt's reference). */
    private record LockedJourneys(List<Journey> journeys) implements Target {
        @Override
        public UUID id() {
            return journeys.get(0).id();
        }
    }

    /** Applies a stored, unmatched receipt in its own transaction, if its message or journey is known now. */
    Uni<Void> apply(Long receiptId) {
        return sessions.withStatelessTransaction(session -> session.get(Receipt.class, receiptId).<Target>chain(receipt -> {
            if (receipt == null || receipt.appliedAt() != null) {
                return Uni.createFrom().<Target>nullItem();
            }
            Applicable applicable = new Applicable(receipt.status(), receipt.code(), receipt.message(),
                    receipt.requestId(), receipt.journeyId(), receipt.messageId());
            Instant now = clock.instant();
            return lock(session, applicable).chain(target -> target == null ? Uni.createFrom().<Target>nullItem()
                    : move(session, target, applicable, now).chain(() -> matched(session, receipt.id(), target, now))
                            .replaceWith(target));
        })).invoke(this::afterApplied).replaceWithVoid();
    }

    /** Locks the receipt's message (or journeys); null when it is not known yet. */
    private Uni<Target> lock(Mutiny.StatelessSession session, Applicable receipt) {
        if (receipt.status().aboutJourney()) {
            return session.createSelectionQuery("from Journey j where j.journeyId = :journeyId order by j.id", Journey.class)
                    .setParameter("journeyId", receipt.journeyId())
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList()
                    .map(found -> found.isEmpty() ? null : new LockedJourneys(found));
        }
        if (receipt.messageId() != null) {
            return session.createSelectionQuery(
                    "select m.id, m.status, m.providerMessageId from Message m where m.id = :id", Object[].class)
                    .setParameter("id", receipt.messageId())
                    .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                    .getResultList()
                    .chain(rows -> rows.isEmpty() ? lockBySmsId(session, receipt) : learnSmsId(session, rows.get(0), receipt));
        }
        return lockBySmsId(session, receipt);
    }

    private Uni<Target> lockBySmsId(Mutiny.StatelessSession session, Applicable receipt) {
        return session.createSelectionQuery(
                "select m.id, m.status from Message m where m.providerMessageId = :requestId", Object[].class)
                .setParameter("requestId", receipt.requestId())
                .setLockMode(LockModeType.PESSIMISTIC_WRITE)
                .setMaxResults(1)
                .getResultList()
                .map(rows -> rows.isEmpty() ? null
                        : new LockedMessage((UUID) rows.get(0)[0], (MessageStatus) rows.get(0)[1], false));
    }

    /**
     * The message the receipt names by our id. If eSMS never told us its SMSID (a 124, duplicate RequestId,
     * answered without one), the receipt's is recorded; a known SMSID is kept (the first one wins).
     */
    private Uni<Target> learnSmsId(Mutiny.StatelessSession session, Object[] row, Applicable receipt) {
        UUID id = (UUID) row[0];
        MessageStatus status = (MessageStatus) row[1];
        if (row[2] != null || receipt.requestId() == null) {
            return Uni.createFrom().item(new LockedMessage(id, status, false));
        }
        return session.createNativeQuery("update messages set provider_message_id = :smsId where id = :id and provider_message_id is null")
                .setParameter("smsId", receipt.requestId())
                .setParameter("id", id)
                .executeUpdate()
                .map(updated -> new LockedMessage(id, status, updated > 0));
    }

    /**
     * Moves the locked target where the state machine says the receipt takes it. A message is written
     * with one statement of what changed (the webhook's hot path; its error only when it failed);
     * journeys through their entity, each updated explicitly (a stateless session flushes nothing by itself).
     */
    private Uni<Void> move(Mutiny.StatelessSession session, Target target, Applicable receipt, Instant now) {
        if (target instanceof LockedJourneys locked) {
            List<Journey> moved = new ArrayList<>();
            for (Journey journey : locked.journeys()) {
                JourneyStatus next = Transitions.journey(journey.status(), receipt.status());
                if (next != journey.status()) {
                    journey.receive(next, now);
                    moved.add(journey);
                }
            }
            return moved.isEmpty() ? Uni.createFrom().voidItem() : session.updateMultiple(moved);
        }
        LockedMessage message = (LockedMessage) target;
        MessageStatus next = Transitions.message(message.status(), receipt.status());
        if (next == message.status()) {
            return Uni.createFrom().voidItem();
        }
        if (next == MessageStatus.FAILED) {
            return session.createNativeQuery("""
                    update messages set status = :next, updated_at = :now, error_code = :code, error_message = :reason
                    where id = :id""")
                    .setParameter("next", next.name())
                    .setParameter("now", now)
                    .setParameter("code", receipt.code() == null ? "receipt_failed" : receipt.code().toString())
                    .setParameter("reason", receipt.message() != null ? receipt.message() : NxcloudCodes.meaning(receipt.code()))
                    .setParameter("id", message.id())
                    .executeUpdate().replaceWithVoid();
        }
        return session.createNativeQuery("update messages set status = :next, updated_at = :now where id = :id")
                .setParameter("next", next.name())
                .setParameter("now", now)
                .setParameter("id", message.id())
                .executeUpdate().replaceWithVoid();
    }

    /** Marks a stored receipt applied to its message or journey. */
    private Uni<Void> matched(Mutiny.StatelessSession session, Long receiptId, Target target, Instant now) {
        String column = target instanceof LockedMessage ? "message_ref" : "journey_ref";
        return session.createNativeQuery("update receipts set " + column + " = :target, applied_at = :now where id = :id")
                .setParameter("target", target.id()).setParameter("now", now).setParameter("id", receiptId)
                .executeUpdate().replaceWithVoid();
    }

    // --- unmatched receipts ------------------------------------------------------------------------

    void start(@Observes StartupEvent started) {
        waitingGauge = Gauge.builder("gateway.receipts.waiting", waiting, AtomicLong::get)
                .register(meters);
        timer = vertx.setPeriodic(SWEEP_EVERY, SWEEP_EVERY, id -> { // the first sweep after the start, not during it
            FreshContext.run(vertx, this::countWaiting).subscribe().with(waiting::set,
                    failure -> Log.debugf("Counting unmatched receipts failed: %s", failure.toString()));
            if (System.currentTimeMillis() >= nextBackgroundSweep) {
                backgroundSweep();
            }
        });
    }

    /**
     * The background sweep, for receipts whose message became known without an event here. Every 2 s
     * while sweeps apply something; twice as long after each that applies nothing, up to a minute, so
     * receipts that will never match cost less and less. New provider references (recorded here, or by
     * another replica, which sweeps itself) are swept within 200 ms whatever the spacing.
     */
    private void backgroundSweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return; // an event-driven sweep is running
        }
        nextBackgroundSweep = Long.MAX_VALUE;
        FreshContext.run(vertx, this::sweep).subscribe().with(
                applied -> {
                    sweeping.set(false);
                    idleSpacing = applied > 0 ? SWEEP_EVERY : Math.min(idleSpacing * 2, SWEEP_AT_MOST_EVERY);
                    nextBackgroundSweep = System.currentTimeMillis() + idleSpacing;
                    if (applied == SWEEP_BATCH) {
                        sweepSoon();
                    }
                },
                failure -> {
                    sweeping.set(false);
                    nextBackgroundSweep = System.currentTimeMillis() + idleSpacing;
                    Log.warnf("Applying unmatched receipts failed; the next sweep retries: %s", failure.toString());
                });
    }

    static final long SWEEP_EVERY = 2_000;
    static final long SWEEP_AT_MOST_EVERY = 60_000;
    private volatile long idleSpacing = SWEEP_EVERY;
    private volatile long nextBackgroundSweep;

    /** Receipts still waiting for their message or journey (the gauge {@code gateway.receipts.waiting}). */
    private Uni<Long> countWaiting() {
        return pool.query("select count(*) from receipts where valid and applied_at is null").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (waitingGauge != null) {
            meters.remove(waitingGauge);
        }
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /**
     * New provider references (SMSIDs, journey ids) were recorded: receipts waiting for them can go now.
     * Sweeps are spaced by {@link #SWEEP_SPACING_MS}, so a busy dispatcher does not turn into a busy sweeper.
     */
    void referencesKnown(@Observes ProviderReferencesKnown known) {
        sweepShortly();
    }

    private void sweepShortly() {
        if (sweepScheduled.compareAndSet(false, true)) {
            vertx.setTimer(SWEEP_SPACING_MS, id -> {
                sweepScheduled.set(false);
                sweepSoon();
            });
        }
    }

    private void sweepSoon() {
        sweepWanted.set(true);
        if (sweeping.compareAndSet(false, true)) {
            sweepWanted.set(false);
            FreshContext.run(vertx, this::sweep).subscribe().with(
                    applied -> {
                        sweeping.set(false);
                        if (applied == SWEEP_BATCH || sweepWanted.get()) {
                            sweepSoon();
                        }
                    },
                    failure -> {
                        sweeping.set(false);
                        Log.warnf("Applying unmatched receipts failed; the next sweep retries: %s", failure.toString());
                    });
        }
    }

    /** Applies unmatched receipts whose message or journey is known now; the number applied. */
    Uni<Integer> sweep() {
        return sessions.withStatelessSession(session -> session.createNativeQuery("""
                select r.id from receipts r
                where r.valid and r.applied_at is null and (
                    (r.status in ('success', 'failed', 'delivered', 'progress')
                        and (exists (select 1 from messages m where m.provider_message_id = r.request_id)
                            or r.message_id is not null and exists (select 1 from messages m where m.id = r.message_id)))
                    or (r.status in ('journey_acknowledged', 'journey_time_out')
                        and exists (select 1 from journeys j where j.journey_id = r.journey_id)))
                order by r.id limit :limit""", Long.class).setParameter("limit", SWEEP_BATCH).getResultList())
                // apply() ends with no item, which a Multi drops: count the receipts, not those (empty) results.
                .chain(ids -> Multi.createFrom().iterable(ids)
                        .onItem().transformToUniAndConcatenate(id -> FreshContext.run(vertx, () -> apply(id)).replaceWith(id))
                        .collect().asList().map(List::size));
    }
}
