package vn.zalogateway.receipt;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.ConnectException;
import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import vn.zalogateway.support.DatabaseGate;
import vn.zalogateway.support.InjectDatabaseGate;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TcpGate;
import vn.zalogateway.support.TestKeys;

/**
 * PostgreSQL refusing connections, as while it restarts: the pool's connect fails with a ConnectException, an
 * IOException, which must not pass for a body the caller broke. A receipt the gateway cannot store is a 503 with
 * Retry-After, which NXCloud retries, never a 400, which it would not (the receipt would be lost).
 */
@QuarkusTest
@TestProfile(DatabaseRefusedTest.NoJobs.class)
@WithTestResource(DatabaseGate.class)
class DatabaseRefusedTest {

    static final String WEBHOOK = "/v1/webhooks/nxcloud/test-nxcloud-secret";

    public static class NoJobs implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // No scheduled job: only this test's requests use the pool while the gate is shut.
            return Map.of("quarkus.scheduler.enabled", "false", "gateway.api-key-hashes", TestKeys.HASHES);
        }
    }

    @InjectDatabaseGate
    TcpGate gate;

    @Inject
    Pool pool;

    @Inject
    AgroalDataSource dataSource;

    @AfterEach
    void openTheGate() {
        gate.open();
    }

    @Test
    void aReceiptTheDatabaseRefusesIs503WithRetryAfterAndTakenWhenRetried() {
        Rows rows = new Rows(dataSource);
        rows.update("delete from receipts where request_id = 'refused-1'");
        String receipt = "{\"status\":\"success\",\"requestId\":\"refused-1\",\"code\":0,\"timestamp\":1764000000}";

        refuseConnections();
        given().contentType(ContentType.JSON).body(receipt).post(WEBHOOK)
                .then().statusCode(503).header("Retry-After", equalTo("1"))
                .contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:unavailable"))
                .body("status", equalTo(503))
                .body("instance", equalTo("/v1/webhooks/nxcloud/***"));
        // An API call meets the same database: 503 too, not a 400 about a body it never sent.
        TestKeys.consumer().get("/v1/journeys")
                .then().statusCode(503).header("Retry-After", equalTo("1"))
                .body("type", equalTo("urn:zalo-gateway:problem:unavailable"));
        assertThat(rows.query("select id from receipts where request_id = 'refused-1'")).as("nothing stored").isEmpty();

        // NXCloud's retry, once the database is back, is stored.
        gate.open();
        given().contentType(ContentType.JSON).body(receipt).post(WEBHOOK)
                .then().statusCode(200).body("status", equalTo("stored"));
        assertThat(rows.query("select valid from receipts where request_id = 'refused-1'"))
                .containsExactly(Map.of("valid", true));
    }

    @Test
    void aBodyThatIsNotJsonStays400() {
        given().contentType(ContentType.JSON).body("{\"status\": \"success\", ").post(WEBHOOK)
                .then().statusCode(400).contentType("application/problem+json");
    }

    /** Shuts the gate, and waits until the pool holds no connection it made before: every query needs a new one, refused. */
    private void refuseConnections() {
        gate.shut();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).until(() -> pool.query("select 1").execute()
                .onItemOrFailure().transform((rows, failure) -> failure).await().atMost(Duration.ofSeconds(5)) instanceof ConnectException);
    }
}
