package vn.zalogateway.consumer;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Where a consumer's callbacks may go. {@code https} unless plain http is allowed; and never to an
 * address inside the gateway's own networks (loopback, private, link-local and cloud metadata,
 * carrier-grade NAT, unique-local IPv6, IPv4 mapped in IPv6), unless private networks are allowed:
 * a consumer must not make the gateway call what only the gateway can reach (SSRF). Checked when
 * the URL is registered and again, on the resolved addresses, when a callback is sent.
 */
public final class CallbackUrls {

    public static final int LONGEST = 2000;

    /** Looks a host up; the real one is DNS (blocking: call it off the event loop). */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    public static final Resolver DNS = host -> List.of(InetAddress.getAllByName(host));

    private final boolean allowHttp;
    private final boolean allowPrivateNetworks;
    private final Resolver resolver;

    public CallbackUrls(boolean allowHttp, boolean allowPrivateNetworks, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.allowPrivateNetworks = allowPrivateNetworks;
        this.resolver = resolver;
    }

    /** Why the URL may not receive callbacks, or null when it may. Resolves its host. */
    public String refusal(String url) {
        String form = formRefusal(url);
        if (form != null) {
            return form;
        }
        URI uri = URI.create(url);
        if (!allowHttp && !uri.getScheme().equalsIgnoreCase("https")) {
            return "must be https (gateway.callbacks.allow-http=true allows http)";
        }
        return addressRefusal(uri.getHost());
    }

    /** What is wrong with the URL's form, whatever the settings (no lookup): null when it is an http(s) URL. */
    public static String formRefusal(String url) {
        URI uri;
        try {
            uri = url == null || url.length() > LONGEST ? null : new URI(url);
        } catch (URISyntaxException notAUri) {
            uri = null;
        }
        if (uri == null || !uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null) {
            return "must be an absolute URL with a host (and no user:password), at most " + LONGEST + " characters";
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return "must be https";
        }
        if (uri.getRawFragment() != null) {
            return "must not have a #fragment";
        }
        return null;
    }

    /** Why the host's addresses may not receive callbacks, or null when they all may. */
    public String addressRefusal(String host) {
        if (allowPrivateNetworks) {
            return null;
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(host.startsWith("[") ? host.substring(1, host.length() - 1) : host);
        } catch (UnknownHostException unknown) {
            return "has a host that does not resolve (" + host + ")";
        }
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return "resolves to " + address.getHostAddress() + ", an address inside the gateway's own networks "
                        + "(gateway.callbacks.allow-private-networks=true allows it)";
            }
        }
        return null;
    }

    /** Loopback, private, link-local (cloud metadata included), CGNAT, multicast, unspecified, unique-local. */
    static boolean isInternal(InetAddress address) {
        if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = bytes[0] & 0xff;
            int second = bytes[1] & 0xff;
            return first == 0 || first == 100 && second >= 64 && second < 128 // carrier-grade NAT
                    || first == 198 && (second == 18 || second == 19)         // benchmarking networks
                    || first >= 240;                                          // reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            boolean mapped = true; // ::ffff:a.b.c.d
            for (int i = 0; i < 10; i++) {
                mapped &= bytes[i] == 0;
            }
            if (mapped && (bytes[10] & 0xff) == 0xff && (bytes[11] & 0xff) == 0xff) {
                try {
                    return isInternal(InetAddress.getByAddress(java.util.Arrays.copyOfRange(bytes, 12, 16)));
                } catch (UnknownHostException impossible) {
                    return true;
                }
            }
        }
        return false;
    }
}
