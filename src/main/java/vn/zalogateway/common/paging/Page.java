package vn.zalogateway.common.paging;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

/** One page of a listing, newest first; {@code next_cursor} is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {

    /** Default and largest page sizes of every listing. */
    public static final int DEFAULT_LIMIT = 50;
    public static final String LIMIT_PATTERN = "[1-9]|[1-9][0-9]|1[0-9][0-9]|200";
    public static final String LIMIT_MESSAGE = "must be an integer from 1 to 200";

    /**
     * The page from rows fetched with one row more than the limit: that extra row only tells that
     * another page exists.
     */
    public static <R, T> Page<T> of(List<R> rowsPlusOne, int limit, Function<R, UUID> id, Function<R, T> view) {
        boolean more = rowsPlusOne.size() > limit;
        List<R> rows = more ? rowsPlusOne.subList(0, limit) : rowsPlusOne;
        String next = more ? Cursor.encode(id.apply(rows.get(rows.size() - 1))) : null;
        return new Page<>(rows.stream().map(view).toList(), next);
    }

    public static int limit(String text) {
        return text == null || text.isEmpty() ? DEFAULT_LIMIT : Integer.parseInt(text);
    }
}
