package vn.zalogateway.common.problem;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.net.SocketException;
import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.smallrye.mutiny.CompositeException;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;

class DatabaseUnavailableTest {

    @Test
    void refusedOrClosedConnectionsAndShutdownsAreUnavailability() {
        assertThat(DatabaseUnavailable.is(new ConnectException("Connection refused: /127.0.0.1:5432"))).isTrue();
        assertThat(DatabaseUnavailable.is(new CompletionException(new ConnectException("refused")))).isTrue();
        assertThat(DatabaseUnavailable.is(ClosedConnectionException.INSTANCE)).isTrue();
        assertThat(DatabaseUnavailable.is(new PgException("terminating connection due to administrator command", "FATAL",
                "57P01", null))).isTrue();
        assertThat(DatabaseUnavailable.is(new PgException("the database system is starting up", "FATAL", "57P03", null))).isTrue();
        assertThat(DatabaseUnavailable.is(new PgException("connection failure", "FATAL", "08006", null))).isTrue();
        assertThat(DatabaseUnavailable.is(new SocketException("Connection reset"))).isTrue();
    }

    /** Found by the soak: a query written to a connection PostgreSQL had just reset was a 500 ("failed unexpectedly"). */
    @Test
    void aResetInTheOperatingSystemsWordsIsUnavailability() {
        assertThat(DatabaseUnavailable.is(new java.io.IOException("Connection reset by peer"))).isTrue();
        assertThat(DatabaseUnavailable.is(new CompletionException(new java.io.IOException("writeAddress(..) failed: Broken pipe"))))
                .isTrue();
        assertThat(DatabaseUnavailable.is(new java.io.IOException("Stream closed"))).isFalse();
    }

    /** Found by the ten-minute soak: a statement given to a connection that had just closed was a 500. */
    @Test
    void aCommandOnAClosedConnectionIsUnavailability() {
        assertThat(DatabaseUnavailable.is(new io.vertx.core.impl.NoStackTraceThrowable(
                "Connection is not active now, current status: CLOSED"))).isTrue();
        assertThat(DatabaseUnavailable.is(new CompletionException(new io.vertx.core.impl.NoStackTraceThrowable(
                "Connection is not active now, current status: CLOSING")))).isTrue();
        assertThat(DatabaseUnavailable.is(new io.vertx.core.impl.NoStackTraceThrowable("Connection is fine"))).isFalse();
    }

    /** Seen while PostgreSQL restarted under load: the commit's reset, then Hibernate Reactive's complaint on closing. */
    @Test
    void aLostConnectionInsideACompositeFailureIsUnavailability() {
        assertThat(DatabaseUnavailable.is(new CompositeException(new SocketException("Connection reset"),
                new IllegalStateException("HR000090: Live transaction detected while closing the connection")))).isTrue();
        assertThat(DatabaseUnavailable.is(new CompositeException(new IllegalStateException("first"),
                ClosedConnectionException.INSTANCE))).isTrue();
        assertThat(DatabaseUnavailable.is(new CompositeException(new IllegalStateException("bug"),
                new IllegalArgumentException("another")))).isFalse();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(DatabaseUnavailable.is(new PgException("duplicate key value", "ERROR", "23505", null))).isFalse();
        assertThat(DatabaseUnavailable.is(new IllegalStateException("bug"))).isFalse();
        assertThat(DatabaseUnavailable.is(null)).isFalse();
    }
}
