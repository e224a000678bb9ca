package vn.zalogateway.message.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GraphemesTest {

    @ParameterizedTest
    @CsvSource({
            "'', 0",
            "abc, 3",
            "Trạng thái, 10",
            "Đang giao, 9",
            "📲, 1",
            "👨‍👩‍👧, 1",
            "🇻🇳, 1",
            "👍🏽, 1",
            "e\u0301, 1",
            "a\u0323\u0302, 1" })
    void countsWhatAPersonSees(String text, int count) {
        assertThat(Graphemes.count(text)).isEqualTo(count);
        assertThat(Graphemes.count(Normalizer.normalize(text, Normalizer.Form.NFD))).isEqualTo(count);
    }
}
