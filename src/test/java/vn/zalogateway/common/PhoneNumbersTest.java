package vn.zalogateway.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PhoneNumbersTest {

    @ParameterizedTest
    @CsvSource({
            "0912345678, 84912345678",
            "84912345678, 84912345678",
            "+84912345678, 84912345678",
            "0312345678, 84312345678",
            "0512345678, 84512345678",
            "0712345678, 84712345678",
            "0812345678, 84812345678",
            "+84399999999, 84399999999" })
    void normalisesTheThreeAcceptedFormsTo84(String raw, String normalised) {
        assertThat(PhoneNumbers.normalise(raw)).contains(normalised);
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {
            "091234567", "09123456789", "84", "+84", "0", "+", "84 912345678", "0912-345-678", "0912.345.678",
            " 0912345678", "0912345678 ", "0212345678", "0412345678", "0612345678", "0012345678", "+840912345678",
            "840912345678", "084912345678", "+6591234567", "91234567", "0912345６78", "٠٩١٢٣٤٥٦٧٨", "+84+84912345",
            "84912345678901234567890" })
    void rejectsAnythingElse(String raw) {
        assertThat(PhoneNumbers.normalise(raw)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({ "84912345678, 84******678", "123, ****", "'', ****" })
    void masksAllButTheEndsAsTheLogFilterDoes(String phone, String masked) {
        assertThat(PhoneNumbers.mask(phone)).isEqualTo(masked);
        if (phone.length() == 11) {
            assertThat(vn.zalogateway.common.logging.Masking.mask(phone)).isEqualTo(masked);
        }
    }
}
