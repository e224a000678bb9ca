package vn.zalogateway.common.database;

import jakarta.inject.Singleton;

import io.quarkus.reactive.pg.client.PgPoolCreator;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgPool;
import io.vertx.sqlclient.Pool;
import vn.zalogateway.common.config.GatewayConfig;

/**
 * The reactive pool as Quarkus configures it, with a bounded wait queue: when every connection is busy
 * and {@code gateway.database.max-wait-queue} requests already wait, the next is refused at once
 * (503 with Retry-After, see DatabaseUnavailable) rather than queued without end while its caller times out.
 */
@Singleton
public class BoundedPgPool implements PgPoolCreator {

    private final int maxWaitQueue;
    private volatile PgConnectOptions connectOptions;

    BoundedPgPool(GatewayConfig config) {
        this.maxWaitQueue = config.database().maxWaitQueue();
    }

    @Override
    @SuppressWarnings("deprecation") // Quarkus' own pool is a PgPool; PgBuilder would build a plain Pool
    public Pool create(Input input) {
        connectOptions = input.pgConnectOptionsList().get(0);
        return PgPool.pool(input.vertx(), input.pgConnectOptionsList(), input.poolOptions().setMaxWaitQueueSize(maxWaitQueue));
    }

    /** Where the pool connects, for a connection of its own (LISTEN); null before the pool is made. */
    public PgConnectOptions connectOptions() {
        return connectOptions == null ? null : new PgConnectOptions(connectOptions);
    }
}
