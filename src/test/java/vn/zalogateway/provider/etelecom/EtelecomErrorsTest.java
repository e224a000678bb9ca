package vn.zalogateway.provider.etelecom;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import vn.zalogateway.provider.ProviderException;

class EtelecomErrorsTest {

    @Test
    void mapsHttpErrorsToOurTerms() {
        assertThat(EtelecomErrors.fromHttp(500, "")).isExactlyInstanceOf(ProviderException.Transient.class);
        assertThat(EtelecomErrors.fromHttp(401, "{\"code\":\"unauthenticated\"}"))
                .isExactlyInstanceOf(ProviderException.Unavailable.class);
        assertThat(EtelecomErrors.fromHttp(404, "{\"code\":\"bad_route\",\"msg\":\"x\"}").getMessage())
                .contains("HTTP 404").contains("bad_route");

        ProviderException refused = EtelecomErrors.fromHttp(400, "{\"code\":\"invalid_argument\",\"msg\":\"phone\"}");
        assertThat(refused).isInstanceOfSatisfying(ProviderException.Refused.class, r -> {
            assertThat(r.code()).isEqualTo("invalid_argument");
            assertThat(r.providerMessage()).isEqualTo("phone");
        });
        assertThat(EtelecomErrors.fromHttp(400, "<html>")).isInstanceOfSatisfying(ProviderException.Refused.class,
                r -> assertThat(r.code()).isEqualTo("invalid_argument"));
    }

    @Test
    void clipsLongProviderMessages() {
        assertThat(EtelecomErrors.truncate("x".repeat(10_000))).hasSize(501);
    }

    @Test
    void readsRfc3339Dates() {
        assertThat(EtelecomClient.instantOrNull("2026-11-30T03:00:00Z")).isEqualTo(Instant.parse("2026-11-30T03:00:00Z"));
        assertThat(EtelecomClient.instantOrNull("2026-11-30T10:00:00.5+07:00"))
                .isEqualTo(Instant.parse("2026-11-30T03:00:00.5Z"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = { "0001-01-01T00:00:00Z", "1970-01-01T00:00:00Z", "tomorrow", "2026-11-30" })
    void treatsMissingZeroAndOddDatesAsUnknown(String text) {
        assertThat(EtelecomClient.instantOrNull(text)).isNull();
    }
}
