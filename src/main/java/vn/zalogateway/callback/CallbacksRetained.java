package vn.zalogateway.callback;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.Pool;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.retention.RetainedRows;

/** Callbacks delivered or given up (their attempts go with them) as long as messages are kept. */
@ApplicationScoped
class CallbacksRetained implements RetainedRows {

    private final Pool pool;

    CallbacksRetained(Pool pool) {
        this.pool = pool;
    }

    @Override
    public int order() {
        return CALLBACKS;
    }

    @Override
    public List<Purge> purges(GatewayConfig.Retention settings) {
        return List.of(new Purge("callbacks", settings.messages(), Batch.of(pool, """
                delete from callback_events where ctid = any(array(
                    select ctid from callback_events where status <> 'PENDING'
                        and updated_at < now() - $1 * interval '1 millisecond' limit $2))""")));
    }
}
