package vn.zalogateway.ledger;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.Pool;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.retention.RetainedRows;

/**
 * Charges and their hourly sums, kept gateway.retention.cost-hours (a year of reports and more): longer than the
 * messages they were for. An hour's per-OA sums go with it (on delete cascade).
 */
@ApplicationScoped
class LedgerRetained implements RetainedRows {

    private final Pool pool;

    LedgerRetained(Pool pool) {
        this.pool = pool;
    }

    @Override
    public int order() {
        return INDEPENDENT;
    }

    @Override
    public List<Purge> purges(GatewayConfig.Retention settings) {
        return List.of(
                new Purge("cost hours", settings.costHours(), Batch.of(pool, """
                        delete from cost_hours where ctid = any(array(
                            select ctid from cost_hours where hour < now() - $1 * interval '1 millisecond' limit $2))""")),
                new Purge("charges", settings.costHours(), Batch.of(pool, """
                        delete from charges where ctid = any(array(
                            select ctid from charges where occurred_at < now() - $1 * interval '1 millisecond' limit $2))""")));
    }
}
