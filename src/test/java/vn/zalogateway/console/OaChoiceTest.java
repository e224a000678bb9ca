package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class OaChoiceTest {

    static final ConsoleQueries.ConsumerRow SHOP = new ConsoleQueries.ConsumerRow(UUID.randomUUID(), "shop-a", false,
            List.of(3041812345605770721L, 42L), null, null, false, 0, 0);
    static final ConsoleQueries.ConsumerRow EVERY_OA = new ConsoleQueries.ConsumerRow(UUID.randomUUID(), "default", true, List.of(),
            null, null, true, 0, 0);

    @Test
    void aConsumersOasAreListedAndOnlyTheyCanBeChosen() {
        OaChoice none = OaChoice.of(SHOP, " ");
        assertThat(none.oas()).containsExactly(3041812345605770721L, 42L);
        assertThat(none.anyOa()).isFalse();
        assertThat(none.chosen()).isNull();
        assertThat(none.problem()).isNull();
        assertThat(OaChoice.of(SHOP, "42").chosen()).isEqualTo(42L);
        OaChoice another = OaChoice.of(SHOP, "777");
        assertThat(another.chosen()).isNull();
        assertThat(another.problem()).isEqualTo("OA 777 is not one of shop-a's OAs");
    }

    @Test
    void withoutAConsumerOrForOneOfEveryOaAnyOaMayBeTypedButOnlyAnOaId() {
        assertThat(OaChoice.of(null, "777").chosen()).isEqualTo(777L);
        assertThat(OaChoice.of(EVERY_OA, "777").chosen()).isEqualTo(777L);
        assertThat(OaChoice.of(EVERY_OA, null).oas()).isEmpty();
        assertThat(OaChoice.of(EVERY_OA, null).anyOa()).isTrue();
        for (String typed : List.of("abc", "-1", "0", "99999999999999999999", "1;x")) {
            OaChoice choice = OaChoice.of(null, typed);
            assertThat(choice.chosen()).as(typed).isNull();
            assertThat(choice.problem()).as(typed).startsWith("OA " + typed + ": not an OA id");
        }
    }
}
