package vn.zalogateway.receipt;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

import vn.zalogateway.common.net.Cidr;

/**
 * Which addresses a provider's webhook takes requests from. Without an allow-list, any (the path secret
 * is the check). With one, the sender's address must be in it: the connection's peer, or, when the peer is
 * one of the trusted proxies (the ingress controller), the nearest address in {@code X-Forwarded-For} that
 * is not itself a trusted proxy; a forwarded header from anyone else is ignored, since anyone can write one.
 */
public final class WebhookSources {

    private final List<Cidr> allowed;
    private final List<Cidr> trustedProxies;

    public WebhookSources(List<String> allowed, List<String> trustedProxies) {
        this.allowed = allowed.stream().filter(cidr -> !cidr.isBlank()).map(Cidr::parse).toList();
        this.trustedProxies = trustedProxies.stream().filter(cidr -> !cidr.isBlank()).map(Cidr::parse).toList();
    }

    /** Whether a request from {@code peer} (the connection's address) with this {@code X-Forwarded-For} may come in. */
    public boolean allows(String peer, String forwardedFor) {
        if (allowed.isEmpty()) {
            return true;
        }
        return sender(peer, forwardedFor).map(address -> allowed.stream().anyMatch(cidr -> cidr.contains(address))).orElse(false);
    }

    /** The address that sent the request, as far as trusted hops tell; empty when it cannot be read. */
    Optional<InetAddress> sender(String peer, String forwardedFor) {
        Optional<InetAddress> hop = peer == null ? Optional.empty() : Cidr.literal(peer);
        if (hop.isEmpty() || forwardedFor == null || !trusted(hop.get())) {
            return hop;
        }
        // Right to left: each trusted proxy appended the address it got the request from.
        String[] forwarded = forwardedFor.split(",");
        for (int i = forwarded.length - 1; i >= 0; i--) {
            Optional<InetAddress> next = Cidr.literal(forwarded[i]);
            if (next.isEmpty()) {
                return Optional.empty(); // garbled: refuse rather than guess
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
}
