package vn.zalogateway.common.auth;

import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

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
        List<byte[]> parsed = new java.util.ArrayList<>();
        for (int i = 0; i < hexHashes.size(); i++) {
            String hex = hexHashes.get(i).trim().toLowerCase(Locale.ROOT);
            if (hex.isEmpty()) {
                continue;
            }
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("gateway.api-key-hashes entry " + (i + 1)
                        + " is not a SHA-256 hash (64 hex digits)");
            }
            parsed.add(HEX.parseHex(hex));
        }
        return new ApiKeys(List.copyOf(parsed));
    }

    public static String sha256Hex(String value) {
        return Sha256.hex(value);
    }

    /**
     * The consumer the key belongs to, named by the first 16 hex digits of its hash (safe to store and
     * log), or empty when the key is unknown.
     */
    public Optional<String> consumerOf(String presentedKey) {
        byte[] presented = Sha256.of(presentedKey);
        byte[] match = null;
        for (byte[] hash : hashes) {
            // No early exit: every hash is compared whatever matched before.
            if (MessageDigest.isEqual(hash, presented)) {
                match = hash;
            }
        }
        return match == null ? Optional.empty() : Optional.of(HEX.formatHex(match, 0, 8));
    }

    public boolean isEmpty() {
        return hashes.isEmpty();
    }
}
