package vn.zalogateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class Int64IdsTest {

    @ParameterizedTest
    @CsvSource({ "1, 1", "3041812345605770721, 3041812345605770721", "9223372036854775807, 9223372036854775807" })
    void readsPositiveInt64s(String text, long id) {
        assertThat(Int64Ids.parse(text)).hasValue(id);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "0", "01", "-1", "+1", "1.0", "1e3", " 1", "abc", "9223372036854775808",
            "99999999999999999999", "１２３" })
    void rejectsEverythingElse(String text) {
        assertThat(Int64Ids.parse(text)).isEmpty();
    }
}
