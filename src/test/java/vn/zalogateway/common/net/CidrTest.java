package vn.zalogateway.common.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CidrTest {

    @Test
    void containsWhatItsPrefixCovers() {
        Cidr network = Cidr.parse("203.0.113.0/25");
        assertThat(network.contains(Cidr.literal("203.0.113.127").orElseThrow())).isTrue();
        assertThat(network.contains(Cidr.literal("203.0.113.128").orElseThrow())).isFalse();
        assertThat(Cidr.parse("10.1.2.3").contains(Cidr.literal("10.1.2.3").orElseThrow())).isTrue();
        assertThat(Cidr.parse("0.0.0.0/0").contains(Cidr.literal("198.51.100.7").orElseThrow())).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains(Cidr.literal("2001:db8:1::5").orElseThrow())).isTrue();
        assertThat(Cidr.parse("2001:db8::/32").contains(Cidr.literal("203.0.113.1").orElseThrow())).isFalse();
    }

    @Test
    void readsAddressesOnlyNeverHostNames() {
        assertThat(Cidr.literal("localhost")).isEmpty(); // a name would be a DNS lookup: never
        assertThat(Cidr.literal("example.com")).isEmpty();
        assertThat(Cidr.literal(" 198.51.100.7 ")).isPresent();
        assertThat(Cidr.literal("[2001:db8::1]")).isPresent();
        assertThat(Cidr.literal("999.1.1.1")).isEmpty();
    }

    @Test
    void aBadNetworkSaysWhatIsWrong() {
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/33")).hasMessageContaining("0 to 32");
        assertThatThrownBy(() -> Cidr.parse("nxcloud.example/24")).hasMessageContaining("not an IP address");
        assertThatThrownBy(() -> Cidr.parse("10.0.0.0/x")).hasMessageContaining("prefix length");
    }
}
