package vn.zalogateway.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SimulatorSettingsTest {

    static final String WEBHOOK = "http://localhost:8080/v1/webhooks/nxcloud/s";

    @Test
    void configChangesOnlyWhatItNames() {
        Map<String, String> config = Map.of("receipt-delay", "250ms", "receipts", "success, journey_time_out",
                "out-of-order", "true", "duplicates", "2");
        SimulatorSettings settings = SimulatorSettings.from(WEBHOOK, name -> Optional.ofNullable(config.get(name)));
        assertThat(settings.receiptDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(settings.receipts()).containsExactlyInAnyOrder(SimulatedReceipt.SUCCESS, SimulatedReceipt.JOURNEY_TIME_OUT);
        assertThat(settings.outOfOrder()).isTrue();
        assertThat(settings.duplicates()).isEqualTo(2);
        assertThat(settings.latency()).isEqualTo(SimulatorSettings.defaults(WEBHOOK).latency());
    }

    @Test
    void byDefaultTokensLiveAsTheirTypeSaysHalfOfThe124sLackAnSmsIdAndNobodyIsBlocked() {
        SimulatorSettings defaults = SimulatorSettings.defaults(WEBHOOK);
        assertThat(defaults.tokenLifetime()).isZero();
        assertThat(defaults.duplicateWithoutSmsIdRate()).isEqualTo(0.5);
        assertThat(defaults.blockedUserIds()).isEmpty();
        assertThat(defaults.receipts()).doesNotContain(SimulatedReceipt.JOURNEY_TIME_OUT);
        assertThat(defaults.describe()).containsKeys("token_lifetime", "duplicate_without_smsid_rate", "blocked_user_ids");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "latency|2s|PT2S",
            "latency|PT0.5S|PT0.5S",
            "receipt_delay|0ms|PT0S",
            "failure_rate|0.25|0.25",
            "receipts|''|[]",
            "token-lifetime|30s|PT30S",
            "token_lifetime|0s|PT0S",
            "duplicate_without_smsid_rate|1|1.0",
            "blocked-user-ids|5830123456789, 17|[17, 5830123456789]",
            "blocked_user_ids|''|[]",
            "nxcloud-webhook-url|https://gw.example/v1/webhooks/nxcloud/x|https://gw.example/v1/webhooks/nxcloud/x" })
    void eachKnobReadsItsValueInConfigOrJsonCase(String name, String value, String described) {
        Object shown = SimulatorSettings.defaults(WEBHOOK).with(name, value).describe().get(name.replace('-', '_'));
        assertThat(String.valueOf(shown)).isEqualTo(described);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "latency|soon|latency must be a duration",
            "latency|PT11M|latency must be between 0 and PT10M",
            "failure-rate|1.5|failure-rate must be between 0 and 1",
            "unavailable_rate|NaN|unavailable-rate must be between 0 and 1",
            "duplicates|11|duplicates must be between 0 and 10",
            "out-of-order|yes|out-of-order must be true or false",
            "receipts|success,read|receipts: read is none of",
            "token-lifetime|P31D|token-lifetime must be between 0 and PT720H",
            "duplicate-without-smsid-rate|-0.1|duplicate-without-smsid-rate must be between 0 and 1",
            "blocked-user-ids|58 30|blocked-user-ids must be at most 1000 user ids",
            "nxcloud-webhook-url|ftp://x|nxcloud-webhook-url must be an http(s) URL",
            "colour|red|colour is not a simulator setting" })
    void aWrongValueSaysWhichKnobAndWhy(String name, String value, String message) {
        assertThatThrownBy(() -> SimulatorSettings.defaults(WEBHOOK).with(name, value))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
    }
}
