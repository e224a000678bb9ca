package vn.zalogateway.console.signin;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import vn.zalogateway.common.crypto.SecureRandoms;

/**
 * Operators' sessions as signed cookie values:
 * {@code name.role.nonce.signedInAt.lastSeenAt.version.fingerprint.signature} (HMAC-SHA256). Nothing secret is
 * in them, only who signed in, when, under which session version of the operator ({@link SessionVersions}, in
 * PostgreSQL: sign-out bumps it) and which configured password and role ({@link Operators.Operator#fingerprint()}).
 * A session ends after {@code idleTimeout} without a page, and {@code longest} after sign-in in any case.
 *
 * <p>Form tokens against cross-site requests are signed too: a random browser value (its own cookie,
 * so the sign-in form has one before any session) and the HMAC of it, which only this server can make.
 * A forged form from another site can neither read the cookie nor compute the token.
 */
public final class OperatorSessions {

    /** A session as read back from its cookie. */
    public record Session(String name, String role, String nonce, Instant signedInAt, Instant lastSeenAt, long version,
            String fingerprint) {

        /** Whether the operator as configured now is the one this session was started for (same role, same password). */
        public boolean of(Operators.Operator operator) {
            return operator.name().equals(name) && operator.role().equals(role) && operator.fingerprint().equals(fingerprint);
        }
    }

    /** The last-seen time is written again at most this often: one Set-Cookie a minute, not one per page. */
    static final Duration REFRESH_AFTER = Duration.ofMinutes(1);
    private static final Base64.Encoder BASE64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder BASE64_DECODER = Base64.getUrlDecoder();

    private final SecretKeySpec key;
    private final Duration idleTimeout;
    private final Duration longest;

    public OperatorSessions(byte[] key, Duration idleTimeout, Duration longest) {
        if (key.length < 32) {
            throw new IllegalArgumentException("gateway.console.session-key must be at least 32 bytes");
        }
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.idleTimeout = idleTimeout;
        this.longest = longest;
    }

    /** The cookie value of a new session, under the operator's current session version. */
    public String start(Operators.Operator operator, long version, Instant now) {
        return write(new Session(operator.name(), operator.role(), randomValue(), now, now, version, operator.fingerprint()));
    }

    /** The session of a cookie value: empty if it was not made here, is malformed, idle too long or too old. */
    public Optional<Session> read(String value, Instant now) {
        if (value == null) {
            return Optional.empty();
        }
        int lastDot = value.lastIndexOf('.');
        if (lastDot < 0 || !sameBytes(sign(value.substring(0, lastDot)), value.substring(lastDot + 1))) {
            return Optional.empty();
        }
        String[] parts = value.substring(0, lastDot).split("\\.", -1);
        if (parts.length != 7) {
            return Optional.empty();
        }
        try {
            Session session = new Session(new String(BASE64_DECODER.decode(parts[0]), StandardCharsets.UTF_8), parts[1], parts[2],
                    Instant.ofEpochSecond(Long.parseLong(parts[3])), Instant.ofEpochSecond(Long.parseLong(parts[4])),
                    Long.parseLong(parts[5]), parts[6]);
            boolean idle = session.lastSeenAt().plus(idleTimeout).isBefore(now);
            boolean old = session.signedInAt().plus(longest).isBefore(now);
            return idle || old ? Optional.empty() : Optional.of(session);
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The cookie value with the last-seen time moved to now, or empty while the one it has is recent enough. */
    public Optional<String> refresh(Session session, Instant now) {
        if (session.lastSeenAt().plus(REFRESH_AFTER).isAfter(now)) {
            return Optional.empty();
        }
        return Optional.of(write(new Session(session.name(), session.role(), session.nonce(), session.signedInAt(), now,
                session.version(), session.fingerprint())));
    }

    /** A new random value for the browser's form-token cookie. */
    public String newBrowserValue() {
        return randomValue();
    }

    /** The form token that goes with the browser's cookie value. */
    public String formToken(String browserValue) {
        return sign("form." + browserValue);
    }

    /** Whether a submitted form token goes with the browser's cookie value. */
    public boolean formTokenMatches(String browserValue, String submitted) {
        return browserValue != null && !browserValue.isEmpty() && submitted != null && sameBytes(formToken(browserValue), submitted);
    }

    private String write(Session session) {
        String content = String.join(".", BASE64.encodeToString(session.name().getBytes(StandardCharsets.UTF_8)), session.role(),
                session.nonce(), Long.toString(session.signedInAt().getEpochSecond()),
                Long.toString(session.lastSeenAt().getEpochSecond()), Long.toString(session.version()), session.fingerprint());
        return content + "." + sign(content);
    }

    private String sign(String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return BASE64.encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static boolean sameBytes(String expected, String actual) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), actual.getBytes(StandardCharsets.US_ASCII));
    }

    private static String randomValue() {
        byte[] bytes = new byte[18];
        SecureRandoms.shared().nextBytes(bytes);
        return BASE64.encodeToString(bytes);
    }
}
