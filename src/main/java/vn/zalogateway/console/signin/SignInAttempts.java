package vn.zalogateway.console.signin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed sign-ins per operator name: after {@code allowed} failures within {@code window}, that name is
 * refused without a password check until the window has passed, so that guessing is slow even where bcrypt
 * is cheap, and a flood of guesses cannot keep every worker thread hashing. Kept in memory per replica.
 */
public final class SignInAttempts {

    private final int allowed;
    private final Duration window;
    private final ConcurrentHashMap<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    public SignInAttempts(int allowed, Duration window) {
        this.allowed = allowed;
        this.window = window;
    }

    /** Whether the name may try now. */
    public boolean allowed(String name, Instant now) {
        Deque<Instant> recent = failures.get(key(name));
        if (recent == null) {
            return true;
        }
        synchronized (recent) {
            recent.removeIf(failure -> !failure.plus(window).isAfter(now));
            return recent.size() < allowed;
        }
    }

    public void failed(String name, Instant now) {
        if (failures.size() > 10_000) {
            failures.clear(); // bounded: names are the attacker's to choose
        }
        Deque<Instant> recent = failures.computeIfAbsent(key(name), ignored -> new ArrayDeque<>());
        synchronized (recent) {
            recent.addLast(now);
            while (recent.size() > allowed) {
                recent.removeFirst();
            }
        }
    }

    public void succeeded(String name) {
        failures.remove(key(name));
    }

    private static String key(String name) {
        return name == null ? "" : name;
    }
}
