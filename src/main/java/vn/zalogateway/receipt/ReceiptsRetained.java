package vn.zalogateway.receipt;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.retention.RetainedRows;

/** Receipts that never matched (after gateway.retention.unmatched-receipts), and every receipt as long as messages are kept. */
@ApplicationScoped
class ReceiptsRetained implements RetainedRows {

    private final ReceiptStore store;

    ReceiptsRetained(ReceiptStore store) {
        this.store = store;
    }

    @Override
    public int order() {
        return RECEIPTS;
    }

    @Override
    public List<Purge> purges(GatewayConfig.Retention settings) {
        return List.of(new Purge("unmatched receipts", settings.unmatchedReceipts(), store::purgeUnmatched),
                new Purge("receipts", settings.messages(), store::purge));
    }
}
