package vn.zalogateway.common.retention;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.lease.Leases;

/**
 * Nothing is kept forever: idempotency keys, receipts that never matched, old messages, journeys and
 * receipts, hourly cost sums, revoked API keys and retired callback secrets are deleted past their retention (gateway.retention.*, 0 = keep). One replica at a time purges
 * (the {@code retention} lease), in batches of {@link #BATCH} rows a statement and at most
 * {@link #MOST_BATCHES} statements a table a run, so a purge never holds long locks or runs for long.
 */
@ApplicationScoped
public class Retention {

    static final String JOB = "retention";
    static final int BATCH = 1000;
    static final int MOST_BATCHES = 100;

    /** A table's old rows: a delete of one batch, its cutoff as $1 (ms ago) and the batch size as $2. */
    record Purge(String what, Duration keep, String sql) {
    }

    private final GatewayConfig.Retention settings;
    private final Leases leases;
    private final Pool pool;
    private final Vertx vertx;
    private long timer = -1;

    Retention(GatewayConfig config, Leases leases, Pool pool, Vertx vertx) {
        this.settings = config.retention();
        this.leases = leases;
        this.pool = pool;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(settings.interval().toMillis(), id -> purge().subscribe().with(
                deleted -> {
                    if (deleted > 0) {
                        Log.infof("Retention: %d old rows deleted", deleted);
                    }
                },
                failure -> Log.warnf("Retention purge failed; the next run retries: %s", failure.toString())));
    }

    void stop(@Observes ShutdownEvent stopped) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One run, if this replica holds the job: the number of rows deleted. */
    public Uni<Integer> purge() {
        return leases.hold(JOB, settings.interval().plusMinutes(5)).chain(held -> !held ? Uni.createFrom().item(0)
                : Multi.createFrom().iterable(purges())
                        .filter(purge -> !purge.keep().isZero())
                        .onItem().transformToUniAndConcatenate(this::run)
                        .collect().asList().map(counts -> counts.stream().mapToInt(Integer::intValue).sum()));
    }

    /** In an order that respects the references: receipts before the messages and journeys they point at. */
    List<Purge> purges() {
        return List.of(
                new Purge("idempotency keys", settings.idempotencyKeys(), """
                        delete from idempotency_keys where ctid = any(array(
                            select ctid from idempotency_keys where created_at < now() - $1 * interval '1 millisecond' limit $2))"""),
                new Purge("unmatched receipts", settings.unmatchedReceipts(), """
                        delete from receipts where ctid = any(array(
                            select ctid from receipts where applied_at is null
                                and received_at < now() - $1 * interval '1 millisecond' limit $2))"""),
                new Purge("receipts", settings.messages(), """
                        delete from receipts where ctid = any(array(
                            select ctid from receipts where received_at < now() - $1 * interval '1 millisecond' limit $2))"""),
                new Purge("callbacks", settings.messages(), """
                        delete from callback_events where ctid = any(array(
                            select ctid from callback_events where status <> 'PENDING'
                                and updated_at < now() - $1 * interval '1 millisecond' limit $2))"""),
                // A bucket idle for a second is full again: an hour-old row says nothing a new one would not.
                new Purge("rate limit buckets", java.time.Duration.ofHours(1), """
                        delete from rate_limit_buckets where ctid = any(array(
                            select ctid from rate_limit_buckets where updated_at < now() - $1 * interval '1 millisecond' limit $2))"""),
                new Purge("messages", settings.messages(), """
                        delete from messages where ctid = any(array(
                            select ctid from messages m where m.status in ('DELIVERED', 'FAILED', 'UNCONFIRMED')
                                and m.updated_at < now() - $1 * interval '1 millisecond'
                                and not exists (select 1 from receipts r where r.message_ref = m.id)
                            limit $2))"""),
                new Purge("journeys", settings.messages(), """
                        delete from journeys where ctid = any(array(
                            select ctid from journeys j where j.updated_at < now() - $1 * interval '1 millisecond'
                                and (j.status in ('ACKNOWLEDGED', 'TIMED_OUT', 'FAILED') or j.expires_at < now())
                                and not exists (select 1 from messages m where m.journey_ref = j.id)
                                and not exists (select 1 from receipts r where r.journey_ref = j.id)
                            limit $2))"""),
                // An hour's per-OA sums go with it (on delete cascade); the console sums an hour again if asked for it.
                new Purge("cost hours", settings.costHours(), """
                        delete from cost_hours where ctid = any(array(
                            select ctid from cost_hours where hour < now() - $1 * interval '1 millisecond' limit $2))"""),
                new Purge("revoked keys", settings.revokedKeys(), """
                        delete from consumer_keys where ctid = any(array(
                            select ctid from consumer_keys where revoked_at < now() - $1 * interval '1 millisecond' limit $2))"""),
                new Purge("retired callback secrets", settings.retiredSecrets(), """
                        delete from callback_secrets where ctid = any(array(
                            select ctid from callback_secrets where retires_at < now() - $1 * interval '1 millisecond' limit $2))"""));
    }

    /** Batch after batch until one comes back short, or the run's bound is reached. */
    private Uni<Integer> run(Purge purge) {
        return batches(purge, 0, 0).invoke(deleted -> {
            if (deleted > 0) {
                Log.debugf("Retention: %d %s older than %s deleted", deleted, purge.what(), purge.keep());
            }
        });
    }

    private Uni<Integer> batches(Purge purge, int done, int deleted) {
        return pool.preparedQuery(purge.sql()).execute(Tuple.of(purge.keep().toMillis(), BATCH))
                .chain(rows -> rows.rowCount() < BATCH || done + 1 >= MOST_BATCHES
                        ? Uni.createFrom().item(deleted + rows.rowCount())
                        : batches(purge, done + 1, deleted + rows.rowCount()));
    }
}
