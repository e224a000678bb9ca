package vn.zalogateway.consumer;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.Pool;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.retention.RetainedRows;

/** Keys revoked and callback secrets retired long enough ago to matter to nobody. */
@ApplicationScoped
class ConsumersRetained implements RetainedRows {

    private final Pool pool;

    ConsumersRetained(Pool pool) {
        this.pool = pool;
    }

    @Override
    public int order() {
        return INDEPENDENT;
    }

    @Override
    public List<Purge> purges(GatewayConfig.Retention settings) {
        return List.of(
                new Purge("revoked keys", settings.revokedKeys(), Batch.of(pool, """
                        delete from consumer_keys where ctid = any(array(
                            select ctid from consumer_keys where revoked_at < now() - $1 * interval '1 millisecond' limit $2))""")),
                new Purge("retired callback secrets", settings.retiredSecrets(), Batch.of(pool, """
                        delete from callback_secrets where ctid = any(array(
                            select ctid from callback_secrets where retires_at < now() - $1 * interval '1 millisecond' limit $2))""")));
    }
}
