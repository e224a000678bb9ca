package vn.zalogateway.common.retention;

import java.time.Duration;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.common.config.GatewayConfig;

/**
 * A package's old rows, which that package (their one writer) deletes itself; {@link Retention} only schedules the
 * purges of every package, in the order of {@link #order()} (rows that others point at go after them).
 */
public interface RetainedRows {

    /** One kind of old rows: how long they are kept (zero: for ever) and how one batch of them is deleted. */
    record Purge(String what, Duration keep, Batch batch) {
    }

    /** Deletes at most {@code most} rows older than {@code keep}; the number deleted. */
    @FunctionalInterface
    interface Batch {
        Uni<Integer> delete(Duration keep, int most);

        /** A batch as one delete statement, its cutoff as $1 (milliseconds ago) and its size as $2. */
        static Batch of(Pool pool, String sql) {
            return (keep, most) -> pool.preparedQuery(sql).execute(Tuple.of(keep.toMillis(), most)).map(rows -> rows.rowCount());
        }
    }

    /** Purged before higher orders: a row goes before the rows it points at. */
    int order();

    List<Purge> purges(GatewayConfig.Retention settings);

    /** The usual orders: receipts point at messages and journeys, messages at journeys. */
    int RECEIPTS = 10;
    int CALLBACKS = 20;
    int MESSAGES = 30;
    int JOURNEYS = 40;
    int INDEPENDENT = 50;
}
