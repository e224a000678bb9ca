package vn.zalogateway.batch;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.Pool;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.retention.RetainedRows;

/** Batches past gateway.retention.messages once none of their messages is left (their messages point at them). */
@ApplicationScoped
class BatchesRetained implements RetainedRows {

    private final Pool pool;

    BatchesRetained(Pool pool) {
        this.pool = pool;
    }

    @Override
    public int order() {
        return MESSAGES + 1;
    }

    @Override
    public List<Purge> purges(GatewayConfig.Retention settings) {
        return List.of(new Purge("batches", settings.messages(), Batch.of(pool, """
                delete from batches where ctid = any(array(
                    select b.ctid from batches b
                    where b.created_at < now() - $1 * interval '1 millisecond'
                        and not exists (select 1 from messages m where m.batch_id = b.id)
                    limit $2))""")));
    }
}
