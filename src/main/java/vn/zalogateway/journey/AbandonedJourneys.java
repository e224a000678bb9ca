package vn.zalogateway.journey;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.common.config.GatewayConfig;

/**
 * A journey attempt whose request died with the gateway (a crash, a kill) stays PENDING: nobody will
 * record eTelecom's answer. Past the attempt's lease it is failed, with the reason, so that consumers
 * and the messages waiting on it see an outcome. One statement, safe on any number of replicas; the
 * status index finds the few PENDING rows.
 */
@ApplicationScoped
public class AbandonedJourneys {

    static final Duration INTERVAL = Duration.ofMinutes(1);
    static final String REASON = "The gateway stopped before eTelecom answered; the attempt was given up after its lease";

    private final Pool pool;
    private final Vertx vertx;
    private final Duration lease;
    private long timer = -1;

    AbandonedJourneys(Pool pool, Vertx vertx, GatewayConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.lease = config.idempotency().inFlightLease();
    }

    void start(@Observes StartupEvent started) {
        timer = vertx.setPeriodic(INTERVAL.toMillis(), id -> sweep().subscribe().with(
                failed -> {
                    if (failed > 0) {
                        Log.warnf("%d journey attempts were left PENDING past their lease and are now FAILED", failed);
                    }
                },
                failure -> Log.warnf("Failing abandoned journeys failed; the next sweep retries: %s", failure.toString())));
    }

    void stop(@Observes ShutdownEvent stopped) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** The number of attempts failed now. */
    Uni<Integer> sweep() {
        return pool.preparedQuery("""
                update journeys set status = 'FAILED', failure_kind = 'ABANDONED', error_code = 'abandoned',
                    error_message = $2, updated_at = now()
                where status = 'PENDING' and updated_at < now() - $1 * interval '1 millisecond'""")
                .execute(Tuple.of(lease.toMillis(), REASON))
                .map(rows -> rows.rowCount());
    }
}
