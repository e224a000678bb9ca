package vn.zalogateway.message;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.config.GatewayConfig;

/**
 * The wait for a final report: a message a provider took that no report finished within gateway.receipts.wait
 * becomes UNCONFIRMED, whatever its provider and whether eSMS's callback is configured (eSMS's sandbox and
 * eTelecom's journey messages included, which nobody can be asked about). One statement a batch, safe on any
 * number of replicas; the submitted_at index finds the few messages past the wait.
 */
@ApplicationScoped
public class ReceiptWait {

    /** The scheduler's identity of the job (tests pause it). */
    public static final String JOB = "receipt-wait";
    static final int BATCH = 1000;

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

    /** Marks every message past the wait, a batch at a time; the number marked. */
    public Uni<Integer> run() {
        return lifecycle.unconfirmed(wait, BATCH)
                .chain(marked -> marked < BATCH ? Uni.createFrom().item(marked) : run().map(more -> marked + more));
    }
}
