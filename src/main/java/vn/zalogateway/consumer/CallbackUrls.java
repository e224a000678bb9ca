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
 * carrier-grade NAT, IETF protocol assignments, unique-local IPv6, and IPv6 that carries an IPv4
 * address: mapped, compatible, NAT64, 6to4, Teredo), unless private networks are allowed: a consumer
 * must not make the gateway call what only the gateway can reach (SSRF). Checked when the URL is
 * registered and again when a callback is sent: then the host is resolved once ({@link #target}) and
 * the callback connects to the address that was checked, never to a second answer of the consumer's
 * DNS (rebinding).
 */
public final class CallbackUrls {

    public static final int LONGEST = 2000;

    /** Looks a host up; the real one is DNS (blocking: call it off the event loop). */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    public static final Resolver DNS = host -> List.of(InetAddress.getAllByName(host));

    private static final String HTTPS_ONLY = "must be https (gateway.callbacks.allow-http=true allows http)";

    private final boolean allowHttp;
    private final boolean allowPrivateNetworks;
    private final Resolver resolver;

    public CallbackUrls(boolean allowHttp, boolean allowPrivateNetworks, Resolver resolver) {
        this.allowHttp = allowHttp;
        this.allowPrivateNetworks = allowPrivateNetworks;
        this.resolver = resolver;
    }

    /**
     * Where a callback to {@code url} connects: the first address its host resolved to, all of them checked;
     * or why it may not go ({@code refusal}, and no address). Resolves the host once, even where private
     * networks are allowed, so that the connection never looks it up again. Blocking: off the event loop.
     */
    public record Target(URI url, InetAddress address, String refusal) {
    }

    /** Resolves the URL's host once and checks every address it got (see {@link Target}). */
    public Target target(String url) {
        String form = formRefusal(url);
        if (form != null) {
            return new Target(null, null, form);
        }
        URI uri = URI.create(url);
        if (!allowHttp && !uri.getScheme().equalsIgnoreCase("https")) {
            return new Target(uri, null, HTTPS_ONLY);
        }
        List<InetAddress> addresses;
        try {
            addresses = resolver.resolve(bare(uri.getHost()));
        } catch (UnknownHostException unknown) {
            return new Target(uri, null, doesNotResolve(uri.getHost()));
        }
        if (addresses.isEmpty()) {
            return new Target(uri, null, doesNotResolve(uri.getHost()));
        }
        String refusal = allowPrivateNetworks ? null : internalRefusal(addresses);
        return new Target(uri, refusal == null ? addresses.get(0) : null, refusal);
    }

    /** Why the URL may not receive callbacks, or null when it may. Resolves its host (unless private networks are allowed). */
    public String refusal(String url) {
        String form = formRefusal(url);
        if (form != null) {
            return form;
        }
        URI uri = URI.create(url);
        if (!allowHttp && !uri.getScheme().equalsIgnoreCase("https")) {
            return HTTPS_ONLY;
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
            addresses = resolver.resolve(bare(host));
        } catch (UnknownHostException unknown) {
            return doesNotResolve(host);
        }
        return addresses.isEmpty() ? doesNotResolve(host) : internalRefusal(addresses);
    }

    private static String internalRefusal(List<InetAddress> addresses) {
        for (InetAddress address : addresses) {
            if (isInternal(address)) {
                return "resolves to " + address.getHostAddress() + ", an address inside the gateway's own networks "
                        + "(gateway.callbacks.allow-private-networks=true allows it)";
            }
        }
        return null;
    }

    private static String doesNotResolve(String host) {
        return "has a host that does not resolve (" + host + ")";
    }

    /** The host as a resolver takes it: an IPv6 literal without its brackets. */
    private static String bare(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /**
     * Loopback, private, link-local (cloud metadata included), CGNAT, IETF protocol assignments (192.0.0.0/24),
     * multicast, unspecified, reserved, unique-local IPv6, and every IPv6 form that carries an IPv4 address:
     * mapped ({@code ::ffff:a.b.c.d}, as the IPv4 address), compatible ({@code ::a.b.c.d}, all of {@code ::/96}),
     * NAT64 ({@code 64:ff9b::/96}, {@code 64:ff9b:1::/48}), 6to4 ({@code 2002::/16}) and Teredo ({@code 2001::/32}):
     * a translator would take any of those to an IPv4 address nobody checked.
     */
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
                    || first == 192 && second == 0 && (bytes[2] & 0xff) == 0  // IETF protocol assignments (DS-Lite, NAT64 discovery)
                    || first == 198 && (second == 18 || second == 19)         // benchmarking networks
                    || first >= 240;                                          // reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            if ((bytes[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            if (startsWith(bytes, 0x00, 0x64, 0xff, 0x9b) && (zeros(bytes, 4, 12) || zeros(bytes, 4, 5) && bytes[5] == 1)) {
                return true; // NAT64: well-known 64:ff9b::/96, local-use 64:ff9b:1::/48
            }
            if (startsWith(bytes, 0x20, 0x02) || startsWith(bytes, 0x20, 0x01, 0x00, 0x00)) {
                return true; // 6to4 2002::/16, Teredo 2001::/32
            }
            if (zeros(bytes, 0, 12)) {
                return true; // IPv4-compatible ::a.b.c.d (deprecated), with :: and ::1
            }
            boolean mapped = zeros(bytes, 0, 10); // ::ffff:a.b.c.d
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

    private static boolean startsWith(byte[] bytes, int... prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xff) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Whether bytes [from, to) are all zero. */
    private static boolean zeros(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
