package vn.zalogateway.journey;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A journey's life after eTelecom answered: the reports receipts bring (in the caller's transaction, so a
 * receipt and the move it causes commit together), attempts abandoned by a gateway that stopped mid-call, and
 * the purge. With {@link JourneyService}, which creates journeys, the only writer of {@code journeys}.
 */
@ApplicationScoped
public class JourneyLifecycle {

    static final String ABANDONED = "The gateway stopped before eTelecom answered; the attempt was given up after its lease";

    /** A journey locked for the reports about it, with what the ledger needs to know of it. */
    public record Locked(UUID id, JourneyStatus status, String journeyId, UUID consumerId, long oaId) {
    }

    /** A journey's status after the reports of one transaction. */
    public record Move(UUID id, JourneyStatus status) {
    }

    private final Pool pool;

    JourneyLifecycle(Pool pool) {
        this.pool = pool;
    }

    /** Locks, in the caller's transaction, every journey with one of these eTelecom journey ids, in id order. */
    public Uni<List<Locked>> lockForReports(SqlClient client, String[] journeyIds) {
        if (journeyIds.length == 0) {
            return Uni.createFrom().item(List.of());
        }
        return client.preparedQuery("""
                select id, status, journey_id, consumer_id, oa_id from journeys where journey_id = any($1::varchar[])
                order by id for no key update""")
                .execute(Tuple.of((Object) journeyIds))
                .map(rows -> {
                    List<Locked> locked = new ArrayList<>(rows.size());
                    rows.forEach(row -> locked.add(new Locked(row.getUUID("id"), JourneyStatus.valueOf(row.getString("status")),
                            row.getString("journey_id"), row.getUUID("consumer_id"), row.getLong("oa_id"))));
                    return locked;
                });
    }

    /** Writes what reports made of journeys locked by {@link #lockForReports}: ACKNOWLEDGED means charged. */
    public Uni<Void> applyReports(SqlClient client, List<Move> moves) {
        if (moves.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        UUID[] ids = moves.stream().map(Move::id).toArray(UUID[]::new);
        String[] statuses = moves.stream().map(move -> move.status().name()).toArray(String[]::new);
        return client.preparedQuery("""
                update journeys j set status = u.status, charged = j.charged or u.status = 'ACKNOWLEDGED', updated_at = now(),
                    version = j.version + 1
                from unnest($1::uuid[], $2::varchar[]) as u(id, status)
                where j.id = u.id and j.status in ('NEW', 'ENABLED', 'DISABLED', 'UNKNOWN')""")
                .execute(Tuple.of(ids, statuses))
                .replaceWithVoid();
    }

    /**
     * A journey attempt whose request died with the gateway (a crash, a kill) stays PENDING: nobody will record
     * eTelecom's answer. Past the attempt's lease it is failed, with the reason, so that consumers and the
     * messages waiting on it see an outcome. One statement, safe on any number of replicas; the status index
     * finds the few PENDING rows. The number failed now.
     */
    public Uni<Integer> failAbandoned(Duration lease) {
        return pool.preparedQuery("""
                update journeys set status = 'FAILED', failure_kind = 'ABANDONED', error_code = 'abandoned',
                    error_message = $2, updated_at = now()
                where status = 'PENDING' and updated_at < now() - $1 * interval '1 millisecond'""")
                .execute(Tuple.of(lease.toMillis(), ABANDONED))
                .map(rows -> rows.rowCount());
    }

    /**
     * Deletes up to {@code most} journeys untouched for {@code keep} that are over (final or expired) and that no
     * message or receipt still points at; the number deleted.
     */
    public Uni<Integer> purge(Duration keep, int most) {
        return pool.preparedQuery("""
                delete from journeys where ctid = any(array(
                    select ctid from journeys j where j.updated_at < now() - $1 * interval '1 millisecond'
                        and (j.status in ('ACKNOWLEDGED', 'TIMED_OUT', 'FAILED') or j.expires_at < now())
                        and not exists (select 1 from messages m where m.journey_ref = j.id)
                        and not exists (select 1 from receipts r where r.journey_ref = j.id)
                    limit $2))""")
                .execute(Tuple.of(keep.toMillis(), most))
                .map(rows -> rows.rowCount());
    }
}
