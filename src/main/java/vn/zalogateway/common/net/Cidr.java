package vn.zalogateway.common.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/** An IPv4 or IPv6 network, {@code 203.0.113.0/24} or {@code 2001:db8::/32} (a bare address is /32 or /128). */
public record Cidr(byte[] network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

    /** The network, or an exception naming what is wrong (configuration is checked at start). */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String address = slash < 0 ? trimmed : trimmed.substring(0, slash);
        byte[] bytes = literal(address).orElseThrow(() -> new IllegalArgumentException(
                "'" + text + "' is not an IP address or network (203.0.113.0/24, 2001:db8::/32)")).getAddress();
        int bits = bytes.length * 8;
        int prefix;
        try {
            prefix = slash < 0 ? bits : Integer.parseInt(trimmed.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' has no prefix length after '/'");
        }
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException("'" + text + "': the prefix length must be 0 to " + bits);
        }
        return new Cidr(bytes, prefix);
    }

    /**
     * An IP address written as one: never a host name, so nothing here ever asks DNS (a forwarded header is
     * the sender's text).
     */
    public static Optional<InetAddress> literal(String text) {
        String address = text.trim();
        if (address.startsWith("[") && address.endsWith("]")) {
            address = address.substring(1, address.length() - 1);
        }
        if (!IPV4.matcher(address).matches() && !IPV6.matcher(address).matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(InetAddress.getByName(address));
        } catch (UnknownHostException | RuntimeException notAnAddress) {
            return Optional.empty();
        }
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (candidate[whole] & mask) == (network[whole] & mask);
    }
}
