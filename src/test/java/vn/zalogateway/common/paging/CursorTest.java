package vn.zalogateway.common.paging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

import vn.zalogateway.common.Ids;

class CursorTest {

    @Test
    void roundTripsAnIdIn22UrlSafeCharacters() {
        UUID id = Ids.next();
        String cursor = Cursor.encode(id);

        assertThat(cursor).hasSize(22).matches(Cursor.PATTERN);
        assertThat(Cursor.decode(cursor)).isEqualTo(id);
        assertThat(Cursor.decode(null)).isNull();
    }

    @Test
    void aPageOffersANextCursorOnlyWhenARowIsLeft() {
        List<UUID> rows = List.of(Ids.next(), Ids.next(), Ids.next());

        Page<String> full = Page.of(rows, 2, Function.identity(), UUID::toString);
        assertThat(full.items()).containsExactly(rows.get(0).toString(), rows.get(1).toString());
        assertThat(Cursor.decode(full.nextCursor())).isEqualTo(rows.get(1));

        Page<String> last = Page.of(rows, 3, Function.identity(), UUID::toString);
        assertThat(last.items()).hasSize(3);
        assertThat(last.nextCursor()).isNull();
    }

    @Test
    void limitsAreOneTo200() {
        assertThat("1").matches(Page.LIMIT_PATTERN);
        assertThat("200").matches(Page.LIMIT_PATTERN);
        assertThat("99").matches(Page.LIMIT_PATTERN);
        assertThat("0").doesNotMatch(Page.LIMIT_PATTERN);
        assertThat("201").doesNotMatch(Page.LIMIT_PATTERN);
        assertThat("007").doesNotMatch(Page.LIMIT_PATTERN);
        assertThat(Page.limit(null)).isEqualTo(Page.DEFAULT_LIMIT);
    }
}
