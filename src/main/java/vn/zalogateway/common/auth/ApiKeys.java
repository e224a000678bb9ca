package vn.zalogateway.common.auth;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

import vn.zalogateway.common.Sha256;

/**
 * Consumer API keys known only by their SHA-256 hashes. A presented key is hashed and compared with
 * every configured hash in constant time, so neither timing nor logs reveal a key.
 */
public final class ApiKeys {

    private static final HexFormat HEX = HexFormat.of();

    private final List<byte[]> hashes;

    private ApiKeys(List<byte[]> hashes) {
        this.hashes = hashes;
    }

    /** @throws IllegalArgumentException naming the position of a hash that is not 64 hex digits */
    public static ApiKeys fromHexHashes(List<String> hexHashes) {
        return fromHexHashes(hexHashes, "gateway.api-key-hashes");
    }

    /** @param property the configuration property the hashes come from, named when one is malformed */
    public static ApiKeys fromHexHashes(List<String> hexHashes, String property) {
        List<byte[]> parsed = new java.util.ArrayList<>();
        for (int i = 0; i < hexHashes.size(); i++) {
            String hex = hexHashes.get(i).trim().toLowerCase(Locale.ROOT);
            if (hex.isEmpty()) {
                continue;
            }
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException(property + " entry " + (i + 1)
                        + " is not a SHA-256 hash (64 hex digits)");
            }
            parsed.add(HEX.parseHex(hex));
        }
        return new ApiKeys(List.copyOf(parsed));
    }

    /** Secrets configured in clear (webhook path secrets), kept only as their hashes; blank entries skipped. */
    public static ApiKeys fromSecrets(List<String> secrets) {
        return new ApiKeys(secrets.stream().map(String::trim).filter(secret -> !secret.isEmpty()).map(Sha256::of).toList());
    }

    public static String sha256Hex(String value) {
        return Sha256.hex(value);
    }

    /** Whether the key with this SHA-256 is one of these, compared in constant time with every hash. */
    public boolean knows(byte[] presentedHash) {
        boolean known = false;
        for (byte[] hash : hashes) {
            known |= MessageDigest.isEqual(hash, presentedHash);
        }
        return known;
    }

    public boolean isEmpty() {
        return hashes.isEmpty();
    }
}
