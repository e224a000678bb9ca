package vn.zalogateway.receipt;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import vn.zalogateway.common.problem.Violation;

/**
 * The bounds of the receipts table (V4__receipts.sql), checked when a receipt is read: whatever the
 * readers accept, PostgreSQL stores. A value past its column is the provider's mistake, answered 400
 * with the receipt kept raw, never a failed insert that answers 500 and is sent again forever.
 */
public final class ReceiptColumns {

    static final int REQUEST_ID = 128;
    static final int JOURNEY_ID = 128;
    static final int OA_ID = 32;
    static final int COST_CURRENCY = 8;
    static final int APP_ID = 32;
    static final int ZALO_MSG_ID = 128;
    static final int SENDING_MODE = 16;
    static final int UNREADABLE = 500;
    static final int NATURAL_KEY = 400;
    /** message is clipped to this rather than refused: it is the provider's prose, and kept whole in the raw body. */
    static final int MESSAGE = 1000;

    /** cost_amount numeric(20, 6): at most 14 digits before the point once rounded to 6 after it. */
    private static final BigDecimal LARGEST_AMOUNT = new BigDecimal("99999999999999.999999");
    /** Far more decimals than any price has; also spares rounding a 1e-999999999 digit by digit. */
    private static final int MOST_DECIMALS = 20;

    /** PostgreSQL text cannot hold U+0000 (22021): a value with one is refused, a raw body has it escaped. */
    static final String NO_NUL = "must not contain the NUL character (\\u0000)";

    private ReceiptColumns() {
    }

    /** A raw body as PostgreSQL can keep it: each U+0000 written as the six characters of its JSON escape. */
    static String storable(String raw) {
        return raw == null || raw.indexOf('\u0000') < 0 ? raw : raw.replace("\u0000", "\\u0000");
    }

    /** The text, or a violation if it is longer than its column. */
    static String bounded(String field, String text, int longest, List<Violation> violations) {
        if (text != null && text.length() > longest) {
            violations.add(new Violation(field, "must be at most " + longest + " characters"));
            return null;
        }
        return text;
    }

    static BigDecimal amount(String field, BigDecimal amount, List<Violation> violations) {
        if (amount == null) {
            return null;
        }
        if (amount.scale() > MOST_DECIMALS || amount.precision() - amount.scale() > 14
                || amount.setScale(6, RoundingMode.HALF_UP).abs().compareTo(LARGEST_AMOUNT) > 0) {
            violations.add(new Violation(field, "must be a number below 10^14 with at most " + MOST_DECIMALS + " decimals"));
            return null;
        }
        return amount;
    }

    static String clip(String text) {
        return clip(text, MESSAGE);
    }

    static String clip(String text, int longest) {
        return text == null || text.length() <= longest ? text : text.substring(0, longest);
    }

    /** What of a read receipt would not fit its column (empty for every receipt a reader accepts). */
    public static List<String> overflows(ParsedReceipt receipt) {
        List<String> overflows = new ArrayList<>();
        check(overflows, "requestId", receipt.requestId(), REQUEST_ID);
        check(overflows, "journeyId", receipt.journeyId(), JOURNEY_ID);
        check(overflows, "oaId", receipt.oaId(), OA_ID);
        check(overflows, "costCurrency", receipt.costCurrency(), COST_CURRENCY);
        check(overflows, "message", receipt.message(), MESSAGE);
        check(overflows, "naturalKey", receipt.naturalKey(), NATURAL_KEY);
        if (receipt.costAmount() != null && amount("cost", receipt.costAmount(), new ArrayList<>()) == null) {
            overflows.add("costAmount");
        }
        return overflows;
    }

    private static void check(List<String> overflows, String field, String text, int longest) {
        if (text != null && text.length() > longest) {
            overflows.add(field);
        }
    }
}
