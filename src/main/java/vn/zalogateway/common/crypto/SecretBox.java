package vn.zalogateway.common.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets the gateway must be able to use again (callback signing secrets), sealed at rest with
 * AES-256-GCM: a fresh 96-bit nonce per seal, the 128-bit tag checked on every open, and the row's
 * id as associated data, so a sealed value copied to another row does not open.
 *
 * <p>Keys rotate: the current key (gateway.secrets.key) seals, and it or any previous key
 * (gateway.secrets.previous-keys) opens. A sealed value names its key, {@code v1:<key id>:<base64>}; the key id
 * is a fingerprint of the key (HMAC of a fixed text), which says which key it is and nothing of it. Values
 * sealed before keys had ids are base64 alone: every key is tried on them, the current one first.
 */
public final class SecretBox {

    private static final int KEY_BYTES = 32;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String VERSION = "v1:";

    private record Key(String id, SecretKeySpec spec) {
    }

    /** The sealing key first, then the previous ones. */
    private final List<Key> keys;
    private final SecureRandom random = new SecureRandom();

    private SecretBox(List<Key> keys) {
        this.keys = List.copyOf(keys);
    }

    /** @throws IllegalArgumentException when the text is not base64 of exactly 32 bytes (the message never holds the key) */
    public static SecretBox fromBase64(String base64Key) {
        return of(base64Key, List.of());
    }

    /**
     * A box that seals with {@code current} and opens with it or any of {@code previous} (blank entries skipped).
     *
     * @throws IllegalArgumentException naming the setting of a key that is not base64 of 32 bytes (never the key)
     */
    public static SecretBox of(String current, List<String> previous) {
        List<Key> keys = new ArrayList<>();
        keys.add(key(current, "gateway.secrets.key"));
        for (int i = 0; i < previous.size(); i++) {
            if (!previous.get(i).isBlank()) {
                keys.add(key(previous.get(i), "gateway.secrets.previous-keys entry " + (i + 1)));
            }
        }
        return new SecretBox(keys);
    }

    /** The id of the key that seals: what {@link #seal} writes, and what {@link #isSealedWithCurrentKey} looks for. */
    public String keyId() {
        return keys.get(0).id();
    }

    /** {@code v1:<key id>:} and base64 of nonce, ciphertext and tag. */
    public String seal(String secret, String associatedData) {
        Key key = keys.get(0);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return VERSION + key.id() + ":"
                    + Base64.getEncoder().encodeToString(ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("AES-GCM is not available", impossible);
        }
    }

    /** @throws IllegalStateException when the value was sealed with a key not configured, for another row, or altered */
    public String open(String sealed, String associatedData) {
        if (sealed.startsWith(VERSION)) {
            int end = sealed.indexOf(':', VERSION.length());
            String id = end < 0 ? "" : sealed.substring(VERSION.length(), end);
            Key key = keys.stream().filter(candidate -> candidate.id().equals(id)).findFirst()
                    .orElseThrow(() -> new IllegalStateException("A sealed secret names key " + id + ", which is neither "
                            + "gateway.secrets.key nor one of gateway.secrets.previous-keys"));
            String opened = open(key, sealed.substring(end + 1), associatedData);
            if (opened == null) {
                throw unopenable();
            }
            return opened;
        }
        for (Key key : keys) { // sealed before values named their key
            String opened = open(key, sealed, associatedData);
            if (opened != null) {
                return opened;
            }
        }
        throw unopenable();
    }

    /** Whether the value is sealed with the current key already (else {@link #open} and {@link #seal} it again). */
    public boolean isSealedWithCurrentKey(String sealed) {
        return sealed.startsWith(VERSION + keyId() + ":");
    }

    /** The secret, or null when this key does not open the value. */
    private static String open(Key key, String base64, String associatedData) {
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key.spec(), new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
            cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException unopenable) {
            return null;
        }
    }

    private static IllegalStateException unopenable() {
        return new IllegalStateException("A sealed secret does not open with gateway.secrets.key or gateway.secrets.previous-keys: "
                + "was the key changed without listing the old one, or the row altered?");
    }

    private static Key key(String base64Key, String setting) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64Key.trim());
        } catch (IllegalArgumentException notBase64) {
            throw new IllegalArgumentException(setting + " is not base64: it must be base64 of 32 random bytes "
                    + "(openssl rand -base64 32)");
        }
        if (key.length != KEY_BYTES) {
            throw new IllegalArgumentException(setting + " decodes to " + key.length + " bytes: it must be 32 "
                    + "(openssl rand -base64 32)");
        }
        return new Key(fingerprint(key), new SecretKeySpec(key, "AES"));
    }

    /** 8 hex digits that tell keys apart; one-way, so they say nothing of the key. */
    private static String fingerprint(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal("zalo-gateway secrets key id".getBytes(StandardCharsets.UTF_8)), 0, 4);
        } catch (GeneralSecurityException impossible) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", impossible);
        }
    }
}
