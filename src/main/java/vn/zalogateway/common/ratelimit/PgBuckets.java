package vn.zalogateway.common.ratelimit;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import io.github.bucket4j.distributed.proxy.ClientSideConfig;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AbstractCompareAndSwapBasedProxyManager;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.AsyncCompareAndSwapOperation;
import io.github.bucket4j.distributed.proxy.generic.compare_and_swap.CompareAndSwapOperation;
import io.github.bucket4j.distributed.remote.RemoteBucketState;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Bucket4j's buckets in PostgreSQL through the reactive client, so that every replica takes tokens from
 * the same bucket and no request blocks an event loop (Bucket4j's own PostgreSQL backend is JDBC, blocking).
 * Bucket4j does the arithmetic; this stores its state bytes and swaps them only if nobody else did in
 * between (compare-and-swap: Bucket4j reads again and retries when the swap loses).
 */
final class PgBuckets extends AbstractCompareAndSwapBasedProxyManager<String> {

    private final Pool pool;

    PgBuckets(Pool pool) {
        super(ClientSideConfig.getDefault());
        this.pool = pool;
    }

    @Override
    protected AsyncCompareAndSwapOperation beginAsyncCompareAndSwapOperation(String key) {
        return new AsyncCompareAndSwapOperation() {
            @Override
            public CompletableFuture<Optional<byte[]>> getStateData(Optional<Long> timeoutNanos) {
                return pool.preparedQuery("select state from rate_limit_buckets where key = $1").execute(Tuple.of(key))
                        .map(rows -> {
                            var found = rows.iterator();
                            return found.hasNext() ? Optional.of(bytes(found.next())) : Optional.<byte[]>empty();
                        })
                        .subscribeAsCompletionStage();
            }

            @Override
            public CompletableFuture<Boolean> compareAndSwap(byte[] original, byte[] updated, RemoteBucketState state,
                    Optional<Long> timeoutNanos) {
                var statement = original == null
                        ? pool.preparedQuery("insert into rate_limit_buckets (key, state, updated_at) values ($1, $2, now()) "
                                + "on conflict (key) do nothing").execute(Tuple.of(key, buffer(updated)))
                        : pool.preparedQuery("update rate_limit_buckets set state = $2, updated_at = now() "
                                + "where key = $1 and state = $3").execute(Tuple.of(key, buffer(updated), buffer(original)));
                return statement.map(rows -> rows.rowCount() == 1).subscribeAsCompletionStage();
            }
        };
    }

    @Override
    protected CompareAndSwapOperation beginCompareAndSwapOperation(String key) {
        throw new UnsupportedOperationException("only the asynchronous API is used: nothing may block an event loop");
    }

    @Override
    protected CompletableFuture<Void> removeAsync(String key) {
        return pool.preparedQuery("delete from rate_limit_buckets where key = $1").execute(Tuple.of(key))
                .replaceWithVoid().subscribeAsCompletionStage();
    }

    @Override
    public void removeProxy(String key) {
        throw new UnsupportedOperationException("only the asynchronous API is used");
    }

    @Override
    public boolean isAsyncModeSupported() {
        return true;
    }

    private static byte[] bytes(Row row) {
        return row.getBuffer("state").getBytes();
    }

    private static io.vertx.core.buffer.Buffer buffer(byte[] bytes) {
        return io.vertx.core.buffer.Buffer.buffer(bytes);
    }
}
