package vn.zalogateway.console.signin;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * The operators of {@code gateway.console.operators}: {@code name:role:bcrypt-hash} entries, read once at
 * start so that a broken entry stops the start instead of locking someone out later. Passwords are only
 * ever compared with bcrypt; an unknown name costs as much time as a wrong password, so timing does not
 * tell which names exist.
 */
public final class Operators {

    public static final String ADMIN = "admin";
    public static final String VIEWER = "viewer";

    /**
     * One operator; the hash never leaves this class. {@code fingerprint} changes when the configured role or
     * password hash does (a digest of both, which tells nothing of the password): sessions are bound to it.
     */
    public record Operator(String name, String role, String fingerprint) {
        public boolean admin() {
            return ADMIN.equals(role);
        }
    }

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._@-]{1,64}");
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");
    /** Compared against when the name is unknown: a hash of a random password nobody knows, cost 10 like most. */
    private static final String NOBODY = "$2a$10$oGcficMb5ZN02jDh81eE1.Hm6IaVwQ1kj5DD9eTAShYiJdEaDq0q6";
    /** bcrypt reads at most 72 bytes; a longer password is refused rather than silently cut. */
    private static final int LONGEST_PASSWORD_BYTES = 72;

    private final Map<String, Entry> byName;

    private record Entry(Operator operator, String hash) {
    }

    private Operators(Map<String, Entry> byName) {
        this.byName = byName;
    }

    /** The operators of the entries; an entry that is not {@code name:role:bcrypt-hash} stops the start with its position. */
    public static Operators of(List<String> entries) {
        Map<String, Entry> byName = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            String entry = entries.get(i).trim();
            if (entry.isEmpty()) {
                continue;
            }
            String[] parts = entry.split(":", 3);
            String where = "gateway.console.operators entry " + (i + 1);
            if (parts.length != 3 || !NAME.matcher(parts[0]).matches()) {
                throw new IllegalArgumentException(where + " must be name:role:bcrypt-hash (name of letters, digits, . _ @ -)");
            }
            if (!parts[1].equals(ADMIN) && !parts[1].equals(VIEWER)) {
                throw new IllegalArgumentException(where + " (" + parts[0] + "): role must be admin or viewer");
            }
            if (!BCRYPT.matcher(parts[2]).matches()) {
                throw new IllegalArgumentException(where + " (" + parts[0] + "): not a bcrypt hash ($2a$, $2b$ or $2y$, cost 04-31)");
            }
            if (byName.putIfAbsent(parts[0], new Entry(new Operator(parts[0], parts[1], fingerprint(parts[1], parts[2])), parts[2])) != null) {
                throw new IllegalArgumentException(where + ": " + parts[0] + " is listed twice");
            }
        }
        return new Operators(Map.copyOf(byName));
    }

    /** The operator whose password this is; empty for a wrong password or an unknown name. Slow on purpose (bcrypt): never on an event loop. */
    public Optional<Operator> signIn(String name, String password) {
        if (name == null || password == null || password.isEmpty()
                || password.getBytes(StandardCharsets.UTF_8).length > LONGEST_PASSWORD_BYTES) {
            return Optional.empty();
        }
        Entry entry = byName.get(name);
        boolean matches = OpenBSDBCrypt.checkPassword(entry == null ? NOBODY : entry.hash(), password.toCharArray());
        return entry != null && matches ? Optional.of(entry.operator()) : Optional.empty();
    }

    /** The operator of that name as configured now (a session of a removed operator, or of a changed role, ends). */
    public Optional<Operator> find(String name) {
        Entry entry = byName.get(name);
        return entry == null ? Optional.empty() : Optional.of(entry.operator());
    }

    public boolean isEmpty() {
        return byName.isEmpty();
    }

    /** Whether an operator could have that name at all (the pattern is no secret): other names never reach bcrypt. */
    public static boolean possibleName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private static String fingerprint(String role, String hash) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("zalo-gateway operator\n" + role + "\n" + hash).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
