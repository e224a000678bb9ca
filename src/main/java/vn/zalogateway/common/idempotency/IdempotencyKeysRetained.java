package vn.zalogateway.common.idempotency;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.Pool;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.retention.RetainedRows;

/** Idempotency keys past gateway.retention.idempotency-keys: a retry after that is a new request. */
@ApplicationScoped
class IdempotencyKeysRetained implements RetainedRows {

    private final Pool pool;

    IdempotencyKeysRetained(Pool pool) {
        this.pool = pool;
    }

    @Override
    public int order() {
        return INDEPENDENT;
    }

    @Override
    public List<Purge> purges(GatewayConfig.Retention settings) {
        return List.of(new Purge("idempotency keys", settings.idempotencyKeys(), Batch.of(pool, """
                delete from idempotency_keys where ctid = any(array(
                    select ctid from idempotency_keys where created_at < now() - $1 * interval '1 millisecond' limit $2))""")));
    }
}
