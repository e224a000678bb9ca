package vn.zalogateway.journey;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JourneyStatusTest {

    /** eTelecom's letters; an undocumented one is UNKNOWN (kept in provider_status), never silently NEW. */
    @ParameterizedTest
    @CsvSource(nullValues = "null", value = { "Z,NEW", "P,ENABLED", "N,DISABLED", "null,NEW", "'',NEW", "X,UNKNOWN", "z,UNKNOWN" })
    void readsEtelecomsStatusLetters(String letter, JourneyStatus status) {
        assertThat(JourneyStatus.fromProviderStatus(letter)).isEqualTo(status);
    }
}
