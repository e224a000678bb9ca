package vn.zalogateway.common;

import java.util.OptionalLong;

/** Zalo's ids (OA ids and the like) are positive int64s that travel as decimal strings. */
public final class Int64Ids {

    private Int64Ids() {
    }

    /** The id, or empty when the text is not a positive int64 in plain decimal digits. */
    public static OptionalLong parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 19 || text.charAt(0) == '0') {
            return OptionalLong.empty();
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) < '0' || text.charAt(i) > '9') {
                return OptionalLong.empty();
            }
        }
        try {
            return OptionalLong.of(Long.parseLong(text));
        } catch (NumberFormatException beyondInt64) {
            return OptionalLong.empty();
        }
    }
}
