package vn.zalogateway.common.problem;

import java.net.SocketException;
import java.util.Set;

import io.smallrye.mutiny.CompositeException;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

/**
 * Whether a failure means PostgreSQL could not be reached or went away (refused or closed
 * connections, the server shutting down or starting up): the request may succeed if repeated, so
 * callers get 503 and a Retry-After, and providers retry their receipts.
 */
public final class DatabaseUnavailable {

    /**
     * SQLSTATE classes 08 (connection exception) and 57P (operator intervention: shutdown, not yet up),
     * too many connections, and 57014: a statement cut off by statement_timeout (the database is too slow now).
     */
    private static final Set<String> CODES = Set.of("57P01", "57P02", "57P03", "53300", "57014");

    /** How the reactive SQL client fails a command on a connection that is closing or closed. */
    private static final String NOT_ACTIVE = "Connection is not active now, current status: ";

    private DatabaseUnavailable() {
    }

    public static boolean is(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            // Refused, reset or broken connections (ConnectException is a SocketException too); every
            // connection busy and the pool's wait queue full (gateway.database.max-wait-queue).
            if (cause instanceof SocketException || cause instanceof ClosedConnectionException
                    || cause instanceof ConnectionPoolTooBusyException) {
                return true;
            }
            // The same, as a plain IOException in the operating system's words: NIO's write to a connection the server
            // reset ("Connection reset by peer", seen in the soak while PostgreSQL restarted), netty's native ones
            // ("writeAddress(..) failed: Broken pipe").
            if (cause instanceof java.io.IOException io && io.getMessage() != null
                    && (io.getMessage().endsWith("Connection reset by peer") || io.getMessage().endsWith("Broken pipe"))) {
                return true;
            }
            // A statement given to a connection that has closed meanwhile (the server went away): the SQL client's own
            // words, in a NoStackTraceThrowable (seen in the soak as four 500s during a restart).
            if (cause.getMessage() != null && cause.getMessage().startsWith(NOT_ACTIVE)) {
                return true;
            }
            // A failed transaction whose rollback failed too: Mutiny keeps both, and either may be the lost connection.
            if (cause instanceof CompositeException composite && composite.getCauses().stream().anyMatch(DatabaseUnavailable::is)) {
                return true;
            }
            if (cause instanceof PgException pg && pg.getSqlState() != null
                    && (pg.getSqlState().startsWith("08") || CODES.contains(pg.getSqlState()))) {
                return true;
            }
        }
        return false;
    }
}
