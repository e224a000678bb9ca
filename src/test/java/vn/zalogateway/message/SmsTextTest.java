package vn.zalogateway.message;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SMS parts as carriers count them: GSM-7 (extension characters twice) or UCS-2 for anything else. */
class SmsTextTest {

    @ParameterizedTest(name = "{0} × {1}: unicode {2}, {3} parts")
    @CsvSource({
            "a, 160, false, 1",
            "a, 161, false, 2",
            "a, 306, false, 2",
            "a, 307, false, 3",
            "a, 612, false, 4",
            "a, 613, false, 5",
            // Extension characters take two septets.
            "€, 80, false, 1",
            "€, 81, false, 2",
            // Vietnamese with diacritics is UCS-2.
            "đ, 70, true, 1",
            "đ, 71, true, 2",
            "đ, 268, true, 4",
            "đ, 269, true, 5",
            // GSM's own accented letters stay GSM-7.
            "é, 160, false, 1" })
    void partsByAlphabet(String character, int times, boolean unicode, int parts) {
        String text = character.repeat(times);
        assertThat(SmsText.unicode(text)).isEqualTo(unicode);
        assertThat(SmsText.parts(text)).isEqualTo(parts);
    }
}
