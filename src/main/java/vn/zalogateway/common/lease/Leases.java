package vn.zalogateway.common.lease;

import java.time.Duration;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Jobs that one replica at a time must do (a shared rate limit, a purge): the replica that holds a job's
 * row in {@code leases} does it, and keeps it while it renews within the lease. One statement takes or
 * renews a lease; a replica that stops renewing loses it when it runs out, and another takes over.
 */
@ApplicationScoped
public class Leases {

    /** This process, as a lease holder. */
    private final UUID me = UUID.randomUUID();
    private final Pool pool;

    Leases(Pool pool) {
        this.pool = pool;
    }

    /** Whether this replica holds the job now (taken, renewed, or held by another whose lease is still good). */
    public Uni<Boolean> hold(String job, Duration lease) {
        return hold(job, me, lease);
    }

    /** On a clean stop, what this replica held goes at once rather than when its lease runs out. */
    void release(@jakarta.enterprise.event.Observes io.quarkus.runtime.ShutdownEvent stopping) {
        // Best effort: with the database gone, the lease simply runs out.
        pool.preparedQuery("delete from leases where holder = $1").execute(Tuple.of(me)).replaceWithVoid()
                .ifNoItem().after(Duration.ofSeconds(2)).recoverWithUni(Uni.createFrom().voidItem())
                .onFailure().recoverWithNull()
                .await().indefinitely();
    }

    /** The same for a given holder (tests play two replicas). */
    public Uni<Boolean> hold(String job, UUID holder, Duration lease) {
        return pool.preparedQuery("""
                insert into leases (name, holder, lease_until) values ($1, $2, now() + $3 * interval '1 millisecond')
                on conflict (name) do update set holder = excluded.holder, lease_until = excluded.lease_until
                where leases.lease_until < now() or leases.holder = excluded.holder
                returning holder""")
                .execute(Tuple.of(job, holder, lease.toMillis()))
                .map(rows -> rows.rowCount() == 1);
    }
}
