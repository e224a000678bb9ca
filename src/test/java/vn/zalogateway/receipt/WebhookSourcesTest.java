package vn.zalogateway.receipt;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class WebhookSourcesTest {

    static final List<String> NXCLOUD = List.of("203.0.113.0/24");
    static final List<String> INGRESS = List.of("10.42.0.0/16");

    @Test
    void withoutAnAllowListAnyoneMayCall() {
        assertThat(new WebhookSources(List.of(), INGRESS).allows("198.51.100.7", null)).isTrue();
    }

    @Test
    void theConnectionsPeerMustBeAllowed() {
        WebhookSources sources = new WebhookSources(NXCLOUD, List.of());
        assertThat(sources.allows("203.0.113.9", null)).isTrue();
        assertThat(sources.allows("198.51.100.7", null)).isFalse();
    }

    @Test
    void aForwardedHeaderCountsOnlyFromATrustedProxy() {
        WebhookSources sources = new WebhookSources(NXCLOUD, INGRESS);
        assertThat(sources.allows("10.42.3.4", "203.0.113.9")).as("through the ingress controller").isTrue();
        assertThat(sources.allows("10.42.3.4", "198.51.100.7")).isFalse();
        assertThat(sources.allows("198.51.100.7", "203.0.113.9")).as("anyone can write the header").isFalse();
    }

    @Test
    void theNearestUntrustedHopIsTheSenderNotWhatTheSenderWrote() {
        WebhookSources sources = new WebhookSources(NXCLOUD, INGRESS);
        // The attacker sends X-Forwarded-For: 203.0.113.9; the ingress appends the attacker's real address.
        assertThat(sources.allows("10.42.3.4", "203.0.113.9, 198.51.100.7")).isFalse();
        // Two trusted hops in front of NXCloud.
        assertThat(sources.allows("10.42.3.4", "203.0.113.9, 10.42.9.9")).isTrue();
        assertThat(sources.allows("10.42.3.4", "garbage, 203.0.113.9")).isTrue();
        assertThat(sources.allows("10.42.3.4", "203.0.113.9, not-an-address")).as("garbled: refused").isFalse();
    }
}
