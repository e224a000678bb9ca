package vn.zalogateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The providers' documented failure codes, by what they mean for what can be done next; nothing else guessed. */
class ErrorClassTest {

    @ParameterizedTest(name = "{0} {1} (Zalo {2}) -> {3}")
    @CsvSource(nullValues = "-", value = {
            "nxcloud, 17004, -118, recipient_unreachable",
            "nxcloud, 17004, -108, recipient_unreachable",
            "esms,    -,     -114, recipient_unreachable",
            "nxcloud, 17004, -109, template",
            "etelecom, 5,    -111, template",
            "nxcloud, 9002,  -,    recipient_unreachable",
            "nxcloud, 1100,  -,    account",
            "nxcloud, 9003,  -,    account",
            "nxcloud, 1102,  -,    account",
            "nxcloud, 17005, -,    transient",
            "nxcloud, 17004, -,    unknown",
            "nxcloud, 9999,  -,    unknown",
            "esms,    99,    -,    recipient_unreachable",
            "esms,    101,   -,    account",
            "esms,    103,   -,    account",
            "esms,    143,   -,    account",
            "esms,    799,   -,    account",
            "esms,    801,   -,    quota",
            "esms,    802,   -,    quota",
            "esms,    789,   -,    template",
            "esms,    790,   -,    template",
            "esms,    791,   -,    template",
            "esms,    210,   -,    template",
            "esms,    160,   -,    transient",
            "esms,    4242,  -,    unknown",
            "etelecom, 7,    -,    unknown",
            "esms,    -,     -100, unknown" })
    void documentedCodesHaveTheirClassAndTheRestAreUnknown(String provider, String code, Integer zaloError, String expected) {
        assertThat(ErrorClass.of(provider, code, zaloError).wireName()).isEqualTo(expected);
    }
}
