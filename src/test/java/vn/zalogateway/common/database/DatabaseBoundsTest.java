package vn.zalogateway.common.database;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.pgclient.PgException;
import vn.zalogateway.common.problem.DatabaseUnavailable;
import vn.zalogateway.support.TestKeys;

/** The database's bounds, on a pool made small enough to reach them: a statement timeout and a bounded wait queue. */
@QuarkusTest
@TestProfile(DatabaseBoundsTest.Small.class)
class DatabaseBoundsTest {

    public static class Small implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "1",
                    "gateway.database.max-wait-queue", "1",
                    "quarkus.datasource.reactive.additional-properties.statement_timeout", "3000",
                    "gateway.api-key-hashes", TestKeys.HASHES,
                    "gateway.dispatch.enabled", "false");
        }
    }

    @Inject
    Pool pool;

    @Inject
    Scheduler scheduler;

    /** No background job competes for the one connection: what each test holds is all there is. */
    @BeforeEach
    void noJobs() {
        scheduler.pause();
    }

    @AfterEach
    void jobsAgain() {
        scheduler.resume();
    }

    @Test
    void theApplicationsSessionsRunWithTheStatementTimeout() {
        String timeout = pool.query("select current_setting('statement_timeout')").execute()
                .map(rows -> rows.iterator().next().getString(0)).await().atMost(Duration.ofSeconds(5));
        assertThat(timeout).isEqualTo("3s");
    }

    @Test
    void aStatementPastItsTimeoutIsCutOffAndCountsAsUnavailable() {
        Throwable failure = pool.query("select pg_sleep(8)").execute().replaceWithVoid()
                .onItemOrFailure().transform((ignored, error) -> error).await().atMost(Duration.ofSeconds(6));
        assertThat(failure).isInstanceOf(PgException.class);
        assertThat(((PgException) failure).getSqlState()).isEqualTo("57014");
        assertThat(DatabaseUnavailable.is(failure)).isTrue();
    }

    @Test
    void aRequestFindingTheWaitQueueFullIs503WithRetryAfter() {
        // The one connection is busy and the one waiting place taken: the request cannot even queue.
        Uni<Void> holding = pool.query("select pg_sleep(2.5)").execute().replaceWithVoid().memoize().indefinitely();
        holding.subscribe().with(done -> { }, failure -> { });
        Uni<Void> waiting = pool.query("select 1").execute().replaceWithVoid().memoize().indefinitely();
        waiting.subscribe().with(done -> { }, failure -> { });

        given().auth().oauth2(TestKeys.KEY).get("/v1/journeys")
                .then().statusCode(503).header("Retry-After", equalTo("1"))
                .contentType("application/problem+json").body("type", equalTo("urn:zalo-gateway:problem:unavailable"));

        holding.await().atMost(Duration.ofSeconds(5));
        waiting.await().atMost(Duration.ofSeconds(5));
        given().auth().oauth2(TestKeys.KEY).get("/v1/journeys").then().statusCode(200);
    }
}
