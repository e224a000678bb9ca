package vn.zalogateway.console.signin;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * How often sign-in may be tried, across every replica (table {@code console_sign_in_attempts}): at most
 * {@link #PER_NAME} failed attempts at one operator name and {@link #PER_ADDRESS} from one client address
 * ({@link ClientAddress}) in {@link #WINDOW}; past either, sign-in is refused without a password check until
 * that window ends. An attempt is counted in the statement that lets it go on to bcrypt (reserved, not
 * checked and then counted), so parallel guesses never pass the limit; a sign-in that succeeds gives its
 * reservation back and forgets the name's failures.
 */
@ApplicationScoped
public class SignInThrottle {

    /** Failed attempts at one name within {@link #WINDOW}. */
    public static final int PER_NAME = 5;
    /** Failed attempts from one address within {@link #WINDOW}, at any names. */
    public static final int PER_ADDRESS = 20;
    public static final Duration WINDOW = Duration.ofMinutes(15);
    /** Keys over their limit this replica remembers (about 100 bytes each). */
    static final int REMEMBERED = 10_000;
    /** Rows of ended windows are deleted by one reservation in this many. */
    static final int PURGE_EVERY = 64;

    /** Whether an attempt may go on to the password check, and if not, in how many seconds it may. */
    public record Verdict(boolean allowed, long retryAfterSeconds) {
        static Verdict allow() {
            return new Verdict(true, 0);
        }
    }

    private final Pool pool;
    private final RecentRefusals refusals = new RecentRefusals(REMEMBERED);
    private final AtomicLong reservations = new AtomicLong();

    SignInThrottle(Pool pool) {
        this.pool = pool;
    }

    /**
     * Reserves one attempt at {@code name} (null: not a name any operator can have, counted by address only)
     * from {@code address}; refused when either is past its limit, the attempt included.
     */
    public Uni<Verdict> reserve(String name, String address) {
        List<String> keys = keys(name, address);
        Instant now = Instant.now();
        long remembered = 0;
        for (String key : keys) {
            Instant end = refusals.refusedUntil(key, now).orElse(null);
            if (end != null) {
                remembered = Math.max(remembered, secondsUntil(end, now));
            }
        }
        if (remembered > 0) {
            return Uni.createFrom().item(new Verdict(false, remembered));
        }
        if (reservations.incrementAndGet() % PURGE_EVERY == 0) {
            purge();
        }
        // One statement for both keys, in a fixed order (address: before name:), so two reservations never wait on each other in a cycle.
        return pool.preparedQuery("""
                insert into console_sign_in_attempts as a (key, window_started, attempts)
                select key, now(), 1 from unnest($1::varchar[]) as key
                on conflict (key) do update set
                    attempts = case when a.window_started <= now() - $2 * interval '1 millisecond' then 1 else a.attempts + 1 end,
                    window_started = case when a.window_started <= now() - $2 * interval '1 millisecond' then now() else a.window_started end
                returning key, attempts, ceil(extract(epoch from a.window_started + $2 * interval '1 millisecond' - now()))::bigint as retry_after""")
                .execute(Tuple.of(keys.toArray(new String[0]), WINDOW.toMillis()))
                .map(rows -> {
                    long retryAfter = 0;
                    for (Row row : rows) {
                        String key = row.getString("key");
                        if (row.getInteger("attempts") > (key.startsWith("name:") ? PER_NAME : PER_ADDRESS)) {
                            long seconds = Math.max(1, row.getLong("retry_after"));
                            refusals.refuse(key, now.plusSeconds(seconds));
                            retryAfter = Math.max(retryAfter, seconds);
                        }
                    }
                    return retryAfter > 0 ? new Verdict(false, retryAfter) : Verdict.allow();
                });
    }

    /** The attempt succeeded: its reservation is given back, and the name's failures are forgotten. */
    public Uni<Void> succeeded(String name, String address) {
        return pool.preparedQuery("""
                with forgotten as (delete from console_sign_in_attempts where key = $1)
                update console_sign_in_attempts set attempts = attempts - 1 where key = $2 and attempts > 0""")
                .execute(Tuple.of(nameKey(name), addressKey(address))).replaceWithVoid();
    }

    private void purge() {
        pool.preparedQuery("""
                delete from console_sign_in_attempts where key in (select key from console_sign_in_attempts
                    where window_started < now() - $1 * interval '1 millisecond' limit 1000)""")
                .execute(Tuple.of(WINDOW.toMillis()))
                .subscribe().with(deleted -> Log.debugf("Console: %d ended sign-in windows deleted", deleted.rowCount()),
                        failure -> Log.debugf("Console: ended sign-in windows not deleted this time: %s", failure.toString()));
    }

    static List<String> keys(String name, String address) {
        List<String> keys = new ArrayList<>(2);
        keys.add(addressKey(address));
        if (name != null) {
            keys.add(nameKey(name));
        }
        return keys;
    }

    private static String nameKey(String name) {
        return "name:" + name;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    private static long secondsUntil(Instant end, Instant now) {
        return Math.max(1, Duration.between(now, end).toSeconds() + 1);
    }
}
