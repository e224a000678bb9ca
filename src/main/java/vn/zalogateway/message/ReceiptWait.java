package vn.zalogateway.message;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.config.GatewayConfig;

/**
 * The waits for a message's reports: a Zalo attempt a provider took that no report finished within
 * gateway.receipts.wait becomes UNCONFIRMED, whatever its provider and whether eSMS's callback is configured (eSMS's
 * sandbox and eTelecom's journey messages included, which nobody can be asked about), and so does an SMS fallback;
 * a message whose Zalo attempt was not delivered within its {@code after} has its SMS decided. Safe on any number of
 * replicas (rows locked, skipped when locked); indexes find the few messages due.
 */
@ApplicationScoped
public class ReceiptWait {

    /** The scheduler's identity of the job (tests pause it). */
    public static final String JOB = "receipt-wait";
    /** The scheduler's identity of the job that sends late messages' SMS (tests pause it). */
    public static final String LATE = "fallback-late";

    private final MessageLifecycle lifecycle;
    private final Duration wait;

    ReceiptWait(MessageLifecycle lifecycle, GatewayConfig config) {
        this.lifecycle = lifecycle;
        this.wait = config.receipts().waitFor();
    }

    @Scheduled(identity = JOB, every = "${gateway.receipts.wait-check}", delayed = "${gateway.receipts.wait-check}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return run().invoke(marked -> {
            if (marked > 0) {
                Log.warnf("%d messages got no final receipt within %s: UNCONFIRMED", marked, wait);
            }
        }).replaceWithVoid().onFailure().recoverWithUni(failure -> {
            Log.warnf("Marking unconfirmed messages failed; the next run retries: %s", failure.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /**
     * Every 5 s: the messages whose Zalo attempt was not DELIVERED within their {@code after}, their SMS fallback decided
     * (an index lookup of the few due).
     */
    @Scheduled(identity = LATE, every = "5s", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> fallBackLate() {
        return late().replaceWithVoid().onFailure().recoverWithUni(failure -> {
            Log.warnf("Deciding late messages' SMS failed; the next run retries: %s", failure.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /** Every message past its {@code after}, a batch at a time; the number moved. */
    public Uni<Integer> late() {
        return lifecycle.fallBackLate()
                .chain(moved -> moved < MessageLifecycle.PICK ? Uni.createFrom().item(moved) : late().map(more -> moved + more));
    }

    /** Marks every message past the wait, a batch at a time; the number marked. */
    public Uni<Integer> run() {
        return lifecycle.waitOver(wait)
                .chain(marked -> marked < MessageLifecycle.PICK ? Uni.createFrom().item(marked) : run().map(more -> marked + more));
    }
}
