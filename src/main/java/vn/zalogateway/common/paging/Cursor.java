package vn.zalogateway.common.paging;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.UUID;

/**
 * Keyset cursors: the id of the last item a page showed, opaque to consumers (22 base64url
 * characters), so pages stay stable while new rows arrive.
 */
public final class Cursor {

    /** What a cursor looks like; anything else is rejected before decoding. */
    public static final String PATTERN = "[A-Za-z0-9_-]{22}";
    public static final String MESSAGE = "is not a cursor this API issued: pass next_cursor from the previous page";

    private Cursor() {
    }

    public static String encode(UUID lastId) {
        ByteBuffer bytes = ByteBuffer.allocate(16).putLong(lastId.getMostSignificantBits())
                .putLong(lastId.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }

    /** The id, or null when there is no cursor (first page). Call only with text matching {@link #PATTERN}. */
    public static UUID decode(String cursor) {
        if (cursor == null || cursor.isEmpty()) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getUrlDecoder().decode(cursor));
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
