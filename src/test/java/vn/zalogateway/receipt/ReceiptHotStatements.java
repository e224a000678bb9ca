package vn.zalogateway.receipt;

import java.util.Collections;
import java.util.List;

import vn.zalogateway.support.HotStatements.HotStatement;

/** The receipt package's hot statements ({@link vn.zalogateway.support.HotStatements}), as {@link ReceiptStore} runs them. */
public final class ReceiptHotStatements {

    private ReceiptHotStatements() {
    }

    public static List<HotStatement> all() {
        String nulls11 = String.join(", ", Collections.nCopies(11, "NULL"));
        String nulls13 = String.join(", ", Collections.nCopies(13, "NULL"));
        return List.of(
                new HotStatement("a batch of receipts stored", ReceiptStore.INSERT,
                        "now(), '{esms}', '{plans-sample}', '{delivered}', " + nulls11 + ", '{raw}', " + nulls13 + ", '{false}'", null),
                new HotStatement("unmatched receipts locked for the sweep", ReceiptStore.LOCK_UNMATCHED, "'{1,2,3}'", null),
                new HotStatement("swept receipts marked applied", ReceiptStore.MARK_APPLIED, "'{1}', '{NULL}', '{NULL}', now()",
                        "receipts_pkey"));
    }
}
