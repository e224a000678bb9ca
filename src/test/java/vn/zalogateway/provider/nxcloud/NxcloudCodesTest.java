package vn.zalogateway.provider.nxcloud;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NxcloudCodesTest {

    @ParameterizedTest
    @CsvSource({ "0", "1100", "1102", "9000", "9001", "9002", "9003", "9004", "9005", "9999", "17003", "17004", "17005",
            "17006", "17007" })
    void everyCodeOfTheTableHasAMeaning(int code) {
        assertThat(NxcloudCodes.meaning(code)).isNotBlank();
        assertThat(NxcloudCodes.meaning(4242)).isNull();
    }
}
