package vn.zalogateway.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

class HttpServerUrisTest {

    final MeterFilter filter = new HttpServerUris().templatedUris();

    Meter.Id request(String uri, String status) {
        return new Meter.Id("http.server.requests", Tags.of("method", "POST", "uri", uri, "status", status, "outcome", "CLIENT_ERROR"),
                null, null, Meter.Type.TIMER);
    }

    @Test
    void aRawPathOfARouteBecomesItsTemplateAndKeepsItsOtherTags() {
        Meter.Id mapped = filter.map(request("/v1/webhooks/nxcloud/test-nxcloud-secret", "413"));
        assertThat(mapped.getTag("uri")).isEqualTo("/v1/webhooks/nxcloud/{secret}");
        assertThat(mapped.getTags()).hasSize(4);
        assertThat(mapped.getTag("status")).isEqualTo("413");
        assertThat(mapped.getTag("method")).isEqualTo("POST");
        assertThat(filter.map(request("/v1/messages/0190a0a0-0000-7000-8000-000000000001", "RESET")).getTag("uri"))
                .isEqualTo("/v1/messages/{id}");
    }

    @Test
    void aTemplateOrAFixedWordStaysAndAnythingElseIsUnknown() {
        assertThat(filter.map(request("/v1/messages/{id}", "200")).getTag("uri")).isEqualTo("/v1/messages/{id}");
        assertThat(filter.map(request("NOT_FOUND", "404")).getTag("uri")).isEqualTo("NOT_FOUND");
        assertThat(filter.map(request("root", "200")).getTag("uri")).isEqualTo("root");
        assertThat(filter.map(request("/v1/webhooks/test-nxcloud-secret", "404")).getTag("uri")).isEqualTo("NOT_FOUND");
        assertThat(filter.map(request("/v1/webhooks/nxcloud/test-nxcloud-secret/more", "413")).getTag("uri")).isEqualTo("UNKNOWN");
        assertThat(filter.map(request("/wp-login.php", "RESET")).getTag("uri")).isEqualTo("UNKNOWN");
    }

    @Test
    void otherMetersAreLeftAlone() {
        Meter.Id client = new Meter.Id("http.client.requests", Tags.of("uri", "/CreateJourney"), null, null, Meter.Type.TIMER);
        assertThat(filter.map(client)).isSameAs(client);
        Meter.Id jvm = new Meter.Id("jvm.memory.used", Tags.of("area", "heap"), null, null, Meter.Type.GAUGE);
        assertThat(filter.map(jvm)).isSameAs(jvm);
    }
}
