package vn.zalogateway.receipt;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.common.GroupCommit;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.problem.DatabaseUnavailable;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;

/**
 * Takes receipts in: reads each (a receipt that cannot be read is stored for inspection, then refused with
 * a 400 listing why), counts it, and hands it to a group commit: receipts that arrive together are stored
 * and applied in one transaction ({@link ReceiptApplier}). When the caller sees success, its receipt is
 * committed. If applying fails, the receipt is still stored, unmatched, and the sweeper applies it later.
 */
@ApplicationScoped
public class ReceiptService {

    public static final String NXCLOUD = "nxcloud";
    public static final String ESMS = "esms";

    private final ReceiptApplier applier;
    private final ReceiptStore store;
    private final UnmatchedReceipts unmatched;
    private final MeterRegistry meters;
    private final Clock clock = Clock.systemUTC();
    private final GroupCommit<ReceiptBatch.Incoming> batches;
    private final DistributionSummary batchSizes;
    private final Counter failedBatches;
    private final Counter unmatchedCounter;
    // Meters by provider (and status), looked up once rather than on every receipt.
    private final Map<String, Counter> receivedCounters = new ConcurrentHashMap<>();
    private final Map<String, Counter> duplicateCounters = new ConcurrentHashMap<>();
    private final Map<String, Timer> lag = new ConcurrentHashMap<>();

    ReceiptService(ReceiptApplier applier, ReceiptStore store, UnmatchedReceipts unmatched, MeterRegistry meters, Vertx vertx,
            GatewayConfig config) {
        this.applier = applier;
        this.store = store;
        this.unmatched = unmatched;
        this.meters = meters;
        this.batchSizes = DistributionSummary.builder("gateway.receipts.batch.size")
                .description("Receipts stored and applied in one transaction").register(meters);
        this.failedBatches = Counter.builder("gateway.receipts.batches.failed")
                .description("Batches of receipts that failed and were written again one receipt at a time").register(meters);
        this.unmatchedCounter = meters.counter("gateway.receipts.unmatched");
        this.batches = new GroupCommit<>(config.receipts().largestBatch(), config.receipts().batchWriters(), this::writeBatch,
                incoming -> FreshContext.run(vertx, () -> writeAlone(incoming)), DatabaseUnavailable::is);
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
                    .record(Duration.between(receipt.sentAt(), clock.instant()).abs());
        }
        return batches.submit(new ReceiptBatch.Incoming(provider, receipt, raw));
    }

    private Uni<Void> writeBatch(List<ReceiptBatch.Incoming> received) {
        batchSizes.record(received.size());
        return applier.write(received).onFailure().invoke(failure -> {
            failedBatches.increment();
            Log.warnf("A batch of %d receipts failed (%s)", received.size(), failure.toString());
        }).invoke(this::count).replaceWithVoid();
    }

    /** A receipt in a transaction of its own, after its batch failed: if applying it fails again, it is kept unmatched. */
    private Uni<Void> writeAlone(ReceiptBatch.Incoming incoming) {
        return applier.write(List.of(incoming)).invoke(this::count).replaceWithVoid()
                .onFailure(failure -> !DatabaseUnavailable.is(failure)).recoverWithUni(failure -> {
                    // Applying must never cost the receipt: keep it unmatched, the sweeper applies it later.
                    Log.warnf("Applying a %s %s receipt failed (%s); storing it unmatched for a later sweep", incoming.provider(),
                            incoming.receipt().status().wireName(), failure.toString());
                    return applier.writeUnmatched(List.of(incoming)).invoke(() -> unmatchedCounter.increment());
                });
    }

    private void count(ReceiptApplier.Outcome outcome) {
        outcome.duplicates().forEach(duplicate -> duplicateCounters.computeIfAbsent(duplicate.provider(),
                key -> meters.counter("gateway.receipts.duplicates", "provider", key)).increment());
        unmatchedCounter.increment(outcome.unmatched());
        if (outcome.learnedReference()) {
            unmatched.sweepShortly();
        }
    }

    private Counter received(String provider, String status) {
        return receivedCounters.computeIfAbsent(provider + '|' + status,
                key -> meters.counter("gateway.receipts", "provider", provider, "status", status));
    }

    private Uni<Void> storeInvalid(String provider, String raw, List<Violation> violations) {
        String problem = violations.stream().map(v -> v.field() + " " + v.message()).reduce((a, b) -> a + "; " + b).orElse("");
        return store.insertInvalid(provider, raw, problem, clock.instant());
    }
}
