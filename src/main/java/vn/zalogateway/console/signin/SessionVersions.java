package vn.zalogateway.console.signin;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Each operator's session version, in PostgreSQL so that every replica sees the same (table
 * {@code console_operators}). A session is good only while its cookie names the current version: read on
 * every console request (one primary-key lookup, no cache, so a sign-out anywhere counts at once everywhere).
 */
@ApplicationScoped
public class SessionVersions {

    private final Pool pool;

    SessionVersions(Pool pool) {
        this.pool = pool;
    }

    /**
     * The version a new session of this operator starts under. When the operator's configured password or role
     * differs from the one of the last sign-in, the version is bumped first: the sessions of before end everywhere.
     */
    public Uni<Long> signedIn(Operators.Operator operator) {
        return pool.preparedQuery("""
                insert into console_operators as o (name, fingerprint, session_version, updated_at) values ($1, $2, 1, now())
                on conflict (name) do update set
                    session_version = o.session_version + case when o.fingerprint = excluded.fingerprint then 0 else 1 end,
                    fingerprint = excluded.fingerprint, updated_at = now()
                returning session_version""")
                .execute(Tuple.of(operator.name(), operator.fingerprint()))
                .map(rows -> rows.iterator().next().getLong("session_version"));
    }

    /** The operator's current version; null when nobody of that name ever signed in. */
    public Uni<Long> current(String name) {
        return pool.preparedQuery("select session_version from console_operators where name = $1").execute(Tuple.of(name))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getLong("session_version"));
    }

    /** Ends every session of the operator, on every replica (sign-out). */
    public Uni<Void> end(String name) {
        return pool.preparedQuery("update console_operators set session_version = session_version + 1, updated_at = now() where name = $1")
                .execute(Tuple.of(name)).replaceWithVoid();
    }
}
