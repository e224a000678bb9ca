package vn.zalogateway.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackUrlsTest {

    /** Hosts resolve to the address in their name (a.b.c.d.test), so no test needs DNS. */
    static final CallbackUrls.Resolver FAKE = host -> {
        if (host.equals("nowhere.test")) {
            throw new UnknownHostException(host);
        }
        String address = host.endsWith(".test") ? host.substring(0, host.length() - 5) : host;
        return List.of(InetAddress.getByName(address));
    };

    static final CallbackUrls STRICT = new CallbackUrls(false, false, FAKE);

    @ParameterizedTest
    @ValueSource(strings = { "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
            "0.0.0.0", "::1", "fc00::1", "fe80::1", "::ffff:10.0.0.1", "224.0.0.1", "255.255.255.255", "198.18.0.1" })
    void addressesInsideTheGatewaysNetworksAreRefused(String address) throws Exception {
        assertThat(CallbackUrls.isInternal(InetAddress.getByName(address))).isTrue();
        String host = address.contains(":") ? "[" + address + "]" : address + ".test";
        assertThat(STRICT.refusal("https://" + host + "/events")).contains("inside the gateway's own networks");
    }

    @ParameterizedTest
    @ValueSource(strings = { "203.0.113.10", "8.8.8.8", "2001:db8::1", "100.128.0.1" })
    void publicAddressesAreAccepted(String address) throws Exception {
        assertThat(CallbackUrls.isInternal(InetAddress.getByName(address))).isFalse();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://203.0.113.10.test/events|must be https",
            "ftp://203.0.113.10.test/events|must be https",
            "/events|absolute URL",
            "https://user:pw@203.0.113.10.test/|no user:password",
            "https://203.0.113.10.test/#top|fragment",
            "https://nowhere.test/events|does not resolve" })
    void refusesWhatIsNoCallbackUrl(String url, String words) {
        assertThat(STRICT.refusal(url)).contains(words);
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://203.0.113.10.test/events", "https://203.0.113.10.test:8443/zalo?shop=a" })
    void acceptsPublicHttps(String url) {
        assertThat(STRICT.refusal(url)).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "http://127.0.0.1.test:9000/events", "http://localhost:8080/dev/events" })
    void devAndTestsMayAllowHttpAndPrivateNetworks(String url) {
        assertThat(new CallbackUrls(true, true, FAKE).refusal(url)).isNull();
        assertThat(new CallbackUrls(true, false, FAKE).refusal(url.replace("localhost", "127.0.0.1.test")))
                .contains("inside the gateway's own networks");
    }
}
