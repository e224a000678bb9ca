package vn.zalogateway.receipt;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import vn.zalogateway.journey.JourneyLifecycle;
import vn.zalogateway.ledger.Ledger;
import vn.zalogateway.message.MessageLifecycle;

/**
 * Receipts into the database, each batch in one transaction whatever its size: the messages and journeys the
 * receipts name are locked (by their owners, in id order, as the outbox locks them, so the two never
 * deadlock), the receipts stored (deduplicated by their natural key) already matched, the charges and quotas
 * they tell recorded in the ledger, and the messages and journeys moved by their own state machines. The
 * receipt goes in before its message moves, and so does its charge: the status callback's trigger reads the
 * message's cost. The webhook answers after the commit.
 */
@ApplicationScoped
class ReceiptApplier {

    /** What a batch did, for the metrics and the sweeper. */
    record Outcome(List<ReceiptBatch.Incoming> duplicates, int unmatched, boolean learnedReference) {
    }

    /** What a sweep's transaction did: how many receipts it applied, and whether a message learned an id from them. */
    record Applied(int receipts, boolean learnedReference) {
    }

    private final Pool pool;
    private final ReceiptStore store;
    private final MessageLifecycle messages;
    private final JourneyLifecycle journeys;
    private final Ledger ledger;
    private final Clock clock = Clock.systemUTC();

    ReceiptApplier(Pool pool, ReceiptStore store, MessageLifecycle messages, JourneyLifecycle journeys, Ledger ledger) {
        this.pool = pool;
        this.store = store;
        this.messages = messages;
        this.journeys = journeys;
        this.ledger = ledger;
    }

    /** Stores and applies receipts as they came in, in one transaction. */
    Uni<Outcome> write(List<ReceiptBatch.Incoming> received) {
        ReceiptBatch batch = new ReceiptBatch(received);
        Instant now = clock.instant();
        return pool.withTransaction(connection -> lock(connection, batch)
                .chain(() -> store.insert(connection, batch, now))
                .call(stored -> apply(connection, batch, stored, now))
                .map(stored -> new Outcome(batch.duplicates(stored), batch.unmatched(stored), batch.learnedReference())));
    }

    /** Stores receipts without applying them (unmatched): when applying failed, the receipts are still kept. */
    Uni<Void> writeUnmatched(List<ReceiptBatch.Incoming> received) {
        ReceiptBatch batch = new ReceiptBatch(received);
        batch.match(List.of(), List.of());
        return pool.withTransaction(connection -> store.insert(connection, batch, clock.instant())).replaceWithVoid();
    }

    /**
     * Applies stored receipts that waited unmatched, if their message or journey is known now, in one
     * transaction (receipts another sweep holds are skipped).
     */
    Uni<Applied> applyStored(List<Long> ids) {
        Instant now = clock.instant();
        return pool.withTransaction(connection -> store.lockUnmatched(connection, ids).chain(stored -> {
            if (stored.isEmpty()) {
                return Uni.createFrom().item(new Applied(0, false));
            }
            ReceiptBatch batch = new ReceiptBatch(stored);
            return lock(connection, batch).chain(() -> {
                List<Integer> matched = batch.matchedIndexes();
                List<Long> applied = new ArrayList<>(matched.size());
                List<UUID> messageRefs = new ArrayList<>(matched.size());
                List<UUID> journeyRefs = new ArrayList<>(matched.size());
                for (int i : matched) {
                    applied.add(batch.distinct().get(i).storedId());
                    messageRefs.add(batch.messageRef(i));
                    journeyRefs.add(batch.journeyRef(i));
                }
                return store.markApplied(connection, applied, messageRefs, journeyRefs, now)
                        .chain(() -> apply(connection, batch, batch.keys(), now))
                        .replaceWith(new Applied(applied.size(), batch.learnedReference()));
            });
        }));
    }

    private Uni<Void> lock(SqlClient connection, ReceiptBatch batch) {
        return messages.lockForReports(connection, batch.messageIds(), batch.references())
                .chain(lockedMessages -> journeys.lockForReports(connection, batch.journeyIds())
                        .invoke(lockedJourneys -> batch.match(lockedMessages, lockedJourneys)))
                .replaceWithVoid();
    }

    private Uni<Void> apply(SqlClient connection, ReceiptBatch batch, Set<String> stored, Instant now) {
        List<vn.zalogateway.ledger.QuotaReading> quotas = batch.quotas(stored, now);
        // An OA a receipt shows quota for again is no longer held: its held messages are due now.
        Long[] withQuota = quotas.stream().filter(quota -> quota.remainingQuota() > 0).map(vn.zalogateway.ledger.QuotaReading::oaId)
                .distinct().toArray(Long[]::new);
        return ledger.record(connection, batch.charges(stored))
                .chain(() -> ledger.noteQuotas(connection, quotas))
                .chain(() -> messages.releaseHeld(connection, withQuota))
                .chain(() -> messages.applyMoves(connection, batch.messageMoves(stored)))
                .chain(() -> journeys.applyReports(connection, batch.journeyMoves(stored)));
    }
}
