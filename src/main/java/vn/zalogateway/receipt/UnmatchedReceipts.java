package vn.zalogateway.receipt;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import vn.zalogateway.common.ProviderReferencesKnown;

/**
 * Receipts that beat their message or journey (its provider reference was not recorded yet) wait unmatched,
 * and are applied as soon as it is known: within {@link #SPACING_MS} of a new reference being recorded here
 * (or learned from another receipt), and by a background sweep for references recorded by another replica.
 * The background sweep runs every 2 s while sweeps apply something; twice as late after each that applies
 * nothing, up to a minute, so receipts that will never match cost less and less. Also keeps the gauge
 * {@code gateway.receipts.waiting}.
 */
@ApplicationScoped
public class UnmatchedReceipts {

    /** The scheduler's identity of the background sweep (tests pause it). */
    public static final String JOB = "receipt-sweep";
    static final long SWEEP_EVERY = 2_000;
    static final long SWEEP_AT_MOST_EVERY = 60_000;
    static final int SWEEP_BATCH = 500;
    /** Receipts applied in one transaction of a sweep. */
    static final int APPLIED_TOGETHER = 50;
    /** Event-driven sweeps are at least this far apart, so a busy dispatcher does not make a busy sweeper. */
    static final long SPACING_MS = 200;

    private final ReceiptApplier applier;
    private final ReceiptStore store;
    private final MeterRegistry meters;
    private final Vertx vertx;
    private final AtomicBoolean sweeping = new AtomicBoolean();
    private final AtomicBoolean sweepWanted = new AtomicBoolean();
    private final AtomicBoolean sweepScheduled = new AtomicBoolean();
    private final AtomicLong waiting = new AtomicLong();
    private volatile long idleSpacing = SWEEP_EVERY;
    private volatile long nextBackgroundSweep;
    /** Removed when this bean stops: a registry that outlives the app (tests restart it) would keep showing it. */
    private Gauge waitingGauge;

    UnmatchedReceipts(ReceiptApplier applier, ReceiptStore store, MeterRegistry meters, Vertx vertx) {
        this.applier = applier;
        this.store = store;
        this.meters = meters;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent started) {
        waitingGauge = Gauge.builder("gateway.receipts.waiting", waiting, AtomicLong::get).register(meters);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (waitingGauge != null) {
            meters.remove(waitingGauge);
        }
    }

    /** New provider references (SMSIDs, msg_ids, journey ids) were recorded: receipts waiting for them can go now. */
    void referencesKnown(@Observes ProviderReferencesKnown known) {
        sweepShortly();
    }

    /** Every 2 s, the first one 2 s after the start: the gauge, and the background sweep when it is due. */
    @Scheduled(identity = JOB, every = "2s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        Uni<Void> counted = store.waiting().invoke(waiting::set).replaceWithVoid()
                .onFailure().recoverWithUni(failure -> {
                    Log.debugf("Counting unmatched receipts failed: %s", failure.toString());
                    return Uni.createFrom().voidItem();
                });
        return System.currentTimeMillis() < nextBackgroundSweep ? counted
                : counted.chain(() -> backgroundSweep().replaceWithVoid());
    }

    /**
     * One background sweep, unless an event-driven one is running: what it can apply is applied; answers how long
     * until the next (2 s after one that applied something, twice as long as the last after one that applied nothing).
     */
    Uni<Long> backgroundSweep() {
        if (!sweeping.compareAndSet(false, true)) {
            return Uni.createFrom().item(idleSpacing);
        }
        return sweep().map(applied -> {
            idleSpacing = applied > 0 ? SWEEP_EVERY : Math.min(idleSpacing * 2, SWEEP_AT_MOST_EVERY);
            if (applied >= SWEEP_BATCH) {
                sweepWanted.set(true);
            }
            return idleSpacing;
        }).onFailure().invoke(failure -> Log.warnf("Applying unmatched receipts failed; the next sweep retries: %s",
                failure.toString()))
                .onFailure().recoverWithItem(() -> idleSpacing)
                .onTermination().invoke(() -> {
                    sweeping.set(false);
                    nextBackgroundSweep = System.currentTimeMillis() + idleSpacing;
                    if (sweepWanted.get()) {
                        sweepSoon();
                    }
                });
    }

    /** How long the background sweep waits now after one that applied nothing (tests read it). */
    long idleSpacing() {
        return idleSpacing;
    }

    /** A sweep soon, at most one per {@link #SPACING_MS}. */
    void sweepShortly() {
        if (sweepScheduled.compareAndSet(false, true)) {
            vertx.setTimer(SPACING_MS, id -> {
                sweepScheduled.set(false);
                sweepSoon();
            });
        }
    }

    private void sweepSoon() {
        sweepWanted.set(true);
        if (sweeping.compareAndSet(false, true)) {
            sweepWanted.set(false);
            sweep().subscribe().with(
                    applied -> {
                        sweeping.set(false);
                        if (applied >= SWEEP_BATCH || sweepWanted.get()) {
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
        return store.applicableNow(SWEEP_BATCH).chain(ids -> {
            List<List<Long>> chunks = new ArrayList<>();
            for (int from = 0; from < ids.size(); from += APPLIED_TOGETHER) {
                chunks.add(ids.subList(from, Math.min(ids.size(), from + APPLIED_TOGETHER)));
            }
            return Multi.createFrom().iterable(chunks)
                    .onItem().transformToUniAndConcatenate(applier::applyStored)
                    .collect().asList().map(done -> {
                        if (done.stream().anyMatch(ReceiptApplier.Applied::learnedReference)) {
                            // A receipt taught its message an id other receipts may be waiting for.
                            sweepShortly();
                        }
                        return done.stream().mapToInt(ReceiptApplier.Applied::receipts).sum();
                    });
        });
    }
}
