package vn.zalogateway.common.ratelimit;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.Pool;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.retention.RetainedRows;

/** A bucket idle for a second is full again: an hour-old row says nothing a new one would not. */
@ApplicationScoped
class BucketsRetained implements RetainedRows {

    private final Pool pool;

    BucketsRetained(Pool pool) {
        this.pool = pool;
    }

    @Override
    public int order() {
        return INDEPENDENT;
    }

    @Override
    public List<Purge> purges(GatewayConfig.Retention settings) {
        return List.of(new Purge("rate limit buckets", Duration.ofHours(1), Batch.of(pool, """
                delete from rate_limit_buckets where ctid = any(array(
                    select ctid from rate_limit_buckets where updated_at < now() - $1 * interval '1 millisecond' limit $2))""")));
    }
}
