package vn.zalogateway.journey;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.config.GatewayConfig;

/**
 * Every minute, journey attempts whose request died with the gateway are failed ({@link JourneyLifecycle#failAbandoned}),
 * so that consumers and the messages waiting on them see an outcome.
 */
@ApplicationScoped
public class AbandonedJourneys {

    /** The scheduler's identity of the job (tests pause it). */
    public static final String JOB = "abandoned-journeys";
    static final String REASON = JourneyLifecycle.ABANDONED;

    private final JourneyLifecycle lifecycle;
    private final Duration lease;

    AbandonedJourneys(JourneyLifecycle lifecycle, GatewayConfig config) {
        this.lifecycle = lifecycle;
        this.lease = config.idempotency().inFlightLease();
    }

    @Scheduled(identity = JOB, every = "1m", delayed = "1m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return sweep().invoke(failed -> {
            if (failed > 0) {
                Log.warnf("%d journey attempts were left PENDING past their lease and are now FAILED", failed);
            }
        }).replaceWithVoid().onFailure().recoverWithUni(failure -> {
            Log.warnf("Failing abandoned journeys failed; the next sweep retries: %s", failure.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /** The number of attempts failed now. */
    Uni<Integer> sweep() {
        return lifecycle.failAbandoned(lease);
    }
}
