package vn.zalogateway.common.database;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.ConnectionPoolTooBusyException;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.pgclient.PgException;
import vn.zalogateway.common.problem.DatabaseUnavailable;
import vn.zalogateway.support.TestKeys;

/**
 * The database's bounds, on a pool made small enough to reach them (one connection, one waiting place): a statement
 * timeout and a bounded wait queue. Each test first takes the one connection for itself, so that what it holds is
 * all there is: no scheduled job runs in this profile (the dispatcher, the callback sender's poll, the receipt sweep,
 * retention...), nothing here changes a status, a consumer or a provider reference (so no callback round, NOTIFY or
 * event-driven sweep starts), and what the application's start still runs (the live API keys read when it starts
 * listening, callback secrets sealed again) is waited for by taking the connection.
 */
@QuarkusTest
@TestProfile(DatabaseBoundsTest.Small.class)
class DatabaseBoundsTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    public static class Small implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "1",
                    "gateway.database.max-wait-queue", "1",
                    "quarkus.datasource.reactive.additional-properties.statement_timeout", "3000",
                    "gateway.api-key-hashes", TestKeys.HASHES,
                    "gateway.dispatch.enabled", "false",
                    // No job at all, rather than jobs paused around each test: one that fired before a pause, or
                    // between two tests, could still hold the connection when the next test begins.
                    "quarkus.scheduler.enabled", "false");
        }
    }

    @Inject
    Pool pool;

    /** The pool's one connection, this test's until released. */
    SqlConnection held;

    /**
     * Takes the one connection. While the application's start still runs a statement and another waits, asking is
     * refused at once (the waiting place is taken): it asks again until the connection is this test's.
     */
    @BeforeEach
    void takeTheConnection() {
        held = await().atMost(WAIT).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .ignoreExceptionsMatching(DatabaseBoundsTest::busy)
                .until(() -> pool.getConnection().await().atMost(WAIT), Objects::nonNull);
    }

    @AfterEach
    void release() {
        if (held != null) {
            held.close().await().atMost(WAIT);
            held = null;
        }
    }

    @Test
    void theApplicationsSessionsRunWithTheStatementTimeout() {
        String timeout = held.query("select current_setting('statement_timeout')").execute()
                .map(rows -> rows.iterator().next().getString(0)).await().atMost(WAIT);
        assertThat(timeout).isEqualTo("3s");
    }

    @Test
    void aStatementPastItsTimeoutIsCutOffAndCountsAsUnavailable() {
        Throwable failure = held.query("select pg_sleep(8)").execute().replaceWithVoid()
                .onItemOrFailure().transform((ignored, error) -> error).await().atMost(Duration.ofSeconds(6));
        assertThat(failure).isInstanceOf(PgException.class);
        assertThat(((PgException) failure).getSqlState()).isEqualTo("57014");
        assertThat(DatabaseUnavailable.is(failure)).isTrue();
    }

    @Test
    void aRequestFindingTheWaitQueueFullIs503WithRetryAfter() {
        // The one connection is this test's and the one waiting place taken: the request cannot even queue.
        Uni<Void> waiting = pool.query("select 1").execute().replaceWithVoid().memoize().indefinitely();
        waiting.subscribe().with(done -> { }, failure -> { });
        assertThat(failureOf(pool.getConnection())).as("one more ask for a connection is refused at once: the queue is full")
                .isInstanceOf(ConnectionPoolTooBusyException.class);

        given().auth().oauth2(TestKeys.KEY).get("/v1/journeys")
                .then().statusCode(503).header("Retry-After", equalTo("1"))
                .contentType("application/problem+json").body("type", equalTo("urn:zalo-gateway:problem:unavailable"));

        release();
        // What waited runs once the connection is back (unless the application's own work had taken the place first,
        // and the query was refused), and requests are served again.
        assertThat(failureOf(waiting)).as("what waited").satisfiesAnyOf(
                ran -> assertThat(ran).isNull(),
                refused -> assertThat(refused).isInstanceOf(ConnectionPoolTooBusyException.class));
        given().auth().oauth2(TestKeys.KEY).get("/v1/journeys").then().statusCode(200);
    }

    /** The failure the Uni ends with, or null when it ends with an item. */
    static Throwable failureOf(Uni<?> uni) {
        return uni.onItemOrFailure().<Throwable>transform((item, failure) -> failure).await().atMost(WAIT);
    }

    /** Every connection busy and the wait queue full: the pool refused at once. */
    static boolean busy(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ConnectionPoolTooBusyException) {
                return true;
            }
        }
        return false;
    }
}
