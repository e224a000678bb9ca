package vn.zalogateway.console.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientAddressTest {

    /** The ingress controller at 10.0.0.0/24 is trusted; nobody else's X-Forwarded-For is. */
    final ClientAddress addresses = new ClientAddress(List.of("10.0.0.0/24", " "));

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
            "203.0.113.7|null|203.0.113.7",
            "203.0.113.7|198.51.100.1|203.0.113.7",                       // a stranger's header is ignored
            "10.0.0.5|198.51.100.1|198.51.100.1",                         // the ingress says who it was
            "10.0.0.5|1.2.3.4, 198.51.100.1|198.51.100.1",                // the stranger's own first entry is ignored
            "10.0.0.5|198.51.100.1, 10.0.0.6|198.51.100.1",               // through two proxies of ours
            "10.0.0.5|garbage, 10.0.0.6|10.0.0.6",
            "10.0.0.5|null|10.0.0.5",
            "2001:db8:1:2:aaaa:bbbb:cccc:dddd|null|2001:db8:1:2:0:0:0:0/64", // an IPv6 client is its /64
            "::ffff:203.0.113.7|null|203.0.113.7",
            "null|null|unknown",
            "not-an-address|null|unknown" })
    void theSenderIsTheNearestAddressNotOurs(String peer, String forwardedFor, String expected) {
        assertThat(addresses.of(peer, forwardedFor)).isEqualTo(expected);
    }
}
