package vn.zalogateway.console.signin;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import vn.zalogateway.common.net.Cidr;

/**
 * Where a sign-in comes from, as the throttle counts it: the connection's peer, or, when the peer is one of
 * the trusted proxies ({@code gateway.webhooks.trusted-proxies}, the ingress controller), the nearest address
 * in {@code X-Forwarded-For} that is not itself a trusted proxy (the rule the webhooks' allow-lists follow).
 * A forwarded header from anyone else is ignored: anyone can write one. An IPv6 client counts as its /64,
 * since one machine commonly has a whole /64 to pick addresses from.
 */
public final class ClientAddress {

    /** What a request whose address cannot be read counts as: such requests share one budget. */
    static final String UNKNOWN = "unknown";

    private final List<Cidr> trustedProxies;

    public ClientAddress(List<String> trustedProxies) {
        this.trustedProxies = trustedProxies.stream().filter(cidr -> !cidr.isBlank()).map(Cidr::parse).toList();
    }

    /** The throttle's name for the sender of a request from {@code peer} with this {@code X-Forwarded-For}. */
    public String of(String peer, String forwardedFor) {
        return sender(peer, forwardedFor).map(ClientAddress::key).orElse(UNKNOWN);
    }

    private Optional<InetAddress> sender(String peer, String forwardedFor) {
        Optional<InetAddress> hop = peer == null ? Optional.empty() : Cidr.literal(peer);
        if (hop.isEmpty() || forwardedFor == null || !trusted(hop.get())) {
            return hop;
        }
        String[] forwarded = forwardedFor.split(",");
        for (int i = forwarded.length - 1; i >= 0; i--) { // right to left: each trusted proxy appended its own peer
            Optional<InetAddress> next = Cidr.literal(forwarded[i].trim());
            if (next.isEmpty()) {
                return hop; // garbled beyond a trusted proxy: count the last address that can be read
            }
            hop = next;
            if (!trusted(next.get())) {
                return hop;
            }
        }
        return hop;
    }

    private boolean trusted(InetAddress address) {
        return trustedProxies.stream().anyMatch(cidr -> cidr.contains(address));
    }

    private static String key(InetAddress address) {
        if (address instanceof Inet6Address) {
            byte[] prefix = Arrays.copyOf(address.getAddress(), 16);
            Arrays.fill(prefix, 8, 16, (byte) 0);
            try {
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException("16 bytes are an IPv6 address", e);
            }
        }
        return address.getHostAddress();
    }
}
