package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class SearchTest {

    static final UUID SHOP = UUID.fromString("01a23767-eb74-7423-b580-af6722a57b19");
    static final List<ConsoleQueries.ConsumerName> CONSUMERS = List.of(new ConsoleQueries.ConsumerName(SHOP, "shop-a"));

    @Test
    void aMessageSearchMeansItsFilter() {
        MessageSearch search = MessageSearch.of(" ", " order 1 ", "42", "3041812345605770721", "FAILED", "2026-12-01", "shop-a", "", null);
        var read = search.read(CONSUMERS, null);
        assertThat(read.problem()).isNull();
        assertThat(read.filter()).isEqualTo(new ConsoleQueries.MessageFilter(null, "order 1", "42", 3041812345605770721L, "FAILED",
                LocalDate.parse("2026-12-01"), SHOP, false, null, null));
        assertThat(search.nextPage(SHOP)).isEqualTo("/console/messages?ext=order+1&user_id=42&oa_id=3041812345605770721"
                + "&status=FAILED&date=2026-12-01&consumer=shop-a&before=" + SHOP);
    }

    @Test
    void theFallbackFilterIsKeptFromPageToPageAndCancelledIsAStatus() {
        MessageSearch search = MessageSearch.of(null, null, null, null, "CANCELLED", null, null, "sms", null);
        var read = search.read(CONSUMERS, SHOP.toString());
        assertThat(read.problem()).isNull();
        assertThat(read.filter().fellBack()).isTrue();
        assertThat(read.filter().status()).isEqualTo("CANCELLED");
        assertThat(read.filter().before()).isEqualTo(SHOP);
        assertThat(search.fellBack()).isTrue();
        assertThat(search.nextPage(SHOP)).isEqualTo("/console/messages?status=CANCELLED&fallback=sms&before=" + SHOP);
        assertThat(MessageSearch.of(null, null, null, null, null, null, null, "yes", null).read(CONSUMERS, null).problem())
                .isEqualTo("fallback: sms or nothing");
    }

    @Test
    void whatCannotMatchIsSaidAllAtOnce() {
        var read = MessageSearch.of("not-a-uuid", null, null, "12a", "LOST", "01/12/2026", "nobody", null, null).read(CONSUMERS, null);
        assertThat(read.filter()).isNull();
        assertThat(read.problem()).isEqualTo("ID: not an id (a UUID); OA: digits only; LOST: not a status; "
                + "01/12/2026: not a date (yyyy-mm-dd); nobody: no such consumer");
        assertThat(MessageSearch.of(null, null, null, "9".repeat(19), null, null, null, null, null).read(CONSUMERS, null).problem())
                .isEqualTo("OA: too large");
    }

    @Test
    void aJourneyIsFoundByItsPhoneInAnyForm() {
        var read = JourneySearch.of("0912 345 678", null, "ACKNOWLEDGED", null).read(CONSUMERS, null);
        assertThat(read.filter().phone()).isEqualTo("84912345678");
        assertThat(read.filter().status()).isEqualTo("ACKNOWLEDGED");
    }

    @Test
    void aBatchsMessagesAreFoundByItsIdAndTheFilterIsKept() {
        MessageSearch search = MessageSearch.of(null, null, null, null, null, null, null, null, SHOP.toString());
        var read = search.read(CONSUMERS, null);
        assertThat(read.filter().batchId()).isEqualTo(SHOP);
        assertThat(search.nextPage(SHOP)).isEqualTo("/console/messages?batch=" + SHOP + "&before=" + SHOP);
        assertThat(MessageSearch.of(null, null, null, null, null, null, null, null, "42").read(CONSUMERS, null).problem())
                .isEqualTo("batch: not an id (a UUID)");
    }
}
