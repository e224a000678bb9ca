package vn.zalogateway.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import org.junit.jupiter.api.Test;

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

    /** IPv6 that carries an IPv4 address (a translator would take it there unchecked), and 192.0.0.0/24. */
    @ParameterizedTest
    @ValueSource(strings = { "64:ff9b::10.0.0.1", "64:ff9b::169.254.169.254", "64:ff9b::8.8.8.8", "64:ff9b:1::a00:1",
            "2002:a00:1::1", "2002:808:808::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2", "::10.0.0.1", "::169.254.169.254",
            "::8.8.8.8", "::", "192.0.0.1", "192.0.0.170", "192.0.0.255" })
    void addressesThatReachIpv4UncheckedAndProtocolAssignmentsAreRefused(String address) throws Exception {
        assertThat(CallbackUrls.isInternal(InetAddress.getByName(address))).as(address).isTrue();
        String host = address.contains(":") ? "[" + address + "]" : address + ".test";
        assertThat(STRICT.refusal("https://" + host + "/events")).contains("inside the gateway's own networks");
        assertThat(STRICT.target("https://" + host + "/events").address()).as("nothing to connect to").isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = { "203.0.113.10", "8.8.8.8", "2001:db8::1", "100.128.0.1", "192.0.1.1", "191.255.255.255",
            "64:ff9c::1", "2003::1" })
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

    /** A resolver that gives its answers in turn (the last again when they run out), and counts the questions. */
    static final class Changing implements CallbackUrls.Resolver {
        final ConcurrentLinkedQueue<String> answers = new ConcurrentLinkedQueue<>();
        final List<String> asked = new ArrayList<>();
        volatile String last;

        Changing(String... answers) {
            this.answers.addAll(List.of(answers));
        }

        @Override
        public synchronized List<InetAddress> resolve(String host) throws UnknownHostException {
            asked.add(host);
            String next = answers.poll();
            last = next != null ? next : last;
            return List.of(InetAddress.getByName(last));
        }
    }

    /** DNS rebinding: the address a callback connects to is the one that was checked, looked up once. */
    @Test
    void theTargetIsTheAddressThatWasCheckedFromOneLookup() throws Exception {
        Changing dns = new Changing("203.0.113.10", "10.0.0.1", "169.254.169.254");
        CallbackUrls urls = new CallbackUrls(false, false, dns);

        CallbackUrls.Target first = urls.target("https://shop-a.example:8443/events?x=1");
        assertThat(first.refusal()).isNull();
        assertThat(first.address()).isEqualTo(InetAddress.getByName("203.0.113.10"));
        assertThat(first.url().getHost()).isEqualTo("shop-a.example");
        assertThat(dns.asked).as("one lookup: no second answer can be used").containsExactly("shop-a.example");

        for (String next : List.of("10.0.0.1", "169.254.169.254")) {
            CallbackUrls.Target later = urls.target("https://shop-a.example:8443/events?x=1");
            assertThat(later.address()).as("nothing to connect to").isNull();
            assertThat(later.refusal()).isEqualTo("resolves to " + next + ", an address inside the gateway's own networks "
                    + "(gateway.callbacks.allow-private-networks=true allows it)");
        }
        assertThat(dns.asked).hasSize(3);
    }

    @Test
    void anyInternalAddressAmongTheAnswersRefusesTheTarget() {
        CallbackUrls urls = new CallbackUrls(false, false, host -> List.of(InetAddress.getByName("203.0.113.10"),
                InetAddress.getByName("10.0.0.1")));
        assertThat(urls.target("https://shop-a.example/events").refusal()).contains("resolves to 10.0.0.1");
    }

    @Test
    void privateNetworksAllowedStillPinTheFirstAnswer() throws Exception {
        Changing dns = new Changing("127.0.0.2", "127.0.0.3");
        CallbackUrls relaxed = new CallbackUrls(true, true, dns);
        assertThat(relaxed.refusal("http://receiver.test/events")).isNull();
        assertThat(dns.asked).as("registration does not look the host up").isEmpty();
        CallbackUrls.Target target = relaxed.target("http://receiver.test/events");
        assertThat(target.refusal()).isNull();
        assertThat(target.address()).isEqualTo(InetAddress.getByName("127.0.0.2"));
        assertThat(dns.asked).hasSize(1);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://203.0.113.10.test/events|must be https",
            "https://nowhere.test/events|does not resolve",
            "https://203.0.113.10.test/#top|fragment" })
    void aTargetThatMayNotReceiveHasNoAddress(String url, String words) {
        CallbackUrls.Target target = STRICT.target(url);
        assertThat(target.refusal()).contains(words);
        assertThat(target.address()).isNull();
    }
}
