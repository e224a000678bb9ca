package vn.zalogateway.common.retention;

import java.util.Comparator;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.lease.Leases;

/**
 * Nothing is kept forever: every package's old rows (idempotency keys, receipts, callbacks, messages, journeys,
 * charges and their hourly sums, revoked API keys, retired callback secrets...) are deleted past their retention
 * (gateway.retention.*, 0 = keep), each by the package that writes them ({@link RetainedRows}); this only
 * schedules them. One replica at a time purges (the {@code retention} lease), in batches of {@link #BATCH} rows a
 * statement and at most {@link #MOST_BATCHES} statements a kind a run, so a purge never holds long locks or runs for long.
 */
@ApplicationScoped
public class Retention {

    /** The lease's name and the scheduler's identity of the job. */
    public static final String JOB = "retention";
    static final int BATCH = 1000;
    static final int MOST_BATCHES = 100;

    private final GatewayConfig.Retention settings;
    private final Leases leases;
    private final List<RetainedRows> retained;

    Retention(GatewayConfig config, Leases leases, Instance<RetainedRows> retained) {
        this.settings = config.retention();
        this.leases = leases;
        this.retained = retained.stream().sorted(Comparator.comparingInt(RetainedRows::order)).toList();
    }

    @Scheduled(identity = JOB, every = "${gateway.retention.interval}", delayed = "${gateway.retention.interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        return purge().invoke(deleted -> {
            if (deleted > 0) {
                Log.infof("Retention: %d old rows deleted", deleted);
            }
        }).replaceWithVoid().onFailure().recoverWithUni(failure -> {
            Log.warnf("Retention purge failed; the next run retries: %s", failure.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /** One run, if this replica holds the job: the number of rows deleted. */
    public Uni<Integer> purge() {
        return leases.hold(JOB, settings.interval().plusMinutes(5)).chain(held -> !held ? Uni.createFrom().item(0)
                : Multi.createFrom().iterable(purges())
                        .filter(purge -> !purge.keep().isZero())
                        .onItem().transformToUniAndConcatenate(this::run)
                        .collect().asList().map(counts -> counts.stream().mapToInt(Integer::intValue).sum()));
    }

    /** Every package's purges, in the order that respects the references. */
    List<RetainedRows.Purge> purges() {
        return retained.stream().flatMap(rows -> rows.purges(settings).stream()).toList();
    }

    /** Batch after batch until one comes back short, or the run's bound is reached. */
    private Uni<Integer> run(RetainedRows.Purge purge) {
        return batches(purge, 0, 0).invoke(deleted -> {
            if (deleted > 0) {
                Log.debugf("Retention: %d %s older than %s deleted", deleted, purge.what(), purge.keep());
            }
        });
    }

    private Uni<Integer> batches(RetainedRows.Purge purge, int done, int deleted) {
        return purge.batch().delete(purge.keep(), BATCH)
                .chain(count -> count < BATCH || done + 1 >= MOST_BATCHES
                        ? Uni.createFrom().item(deleted + count)
                        : batches(purge, done + 1, deleted + count));
    }
}
