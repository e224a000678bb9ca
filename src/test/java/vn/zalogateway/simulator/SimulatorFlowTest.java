package vn.zalogateway.simulator;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import vn.zalogateway.message.MessageResourceTest;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/**
 * The whole flow against the provider simulator, as a new user runs it in dev mode: the gateway's
 * own REST clients call the simulator over HTTP, and the simulator calls the gateway's webhooks back.
 */
@QuarkusTest
@TestProfile(SimulatorFlowTest.Simulated.class)
class SimulatorFlowTest {

    /** The test app with the simulator built in, the REST clients pointed at it, and a quick pace. */
    public static class Simulated implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            String app = "http://localhost:${quarkus.http.test-port:8081}";
            return Map.of(
                    "simulator.enabled", "true",
                    "gateway.api-key-hashes", TestKeys.HASHES,
                    "quarkus.rest-client.etelecom.url", app + "/simulator" + ProviderSimulator.ETELECOM_BASE,
                    "quarkus.rest-client.esms.url", app + "/simulator" + ProviderSimulator.ESMS_BASE,
                    "quarkus.rest-client.esms-status.url", app + "/simulator" + ProviderSimulator.ESMS_STATUS_BASE,
                    "gateway.esms.callback-url", app + "/v1/webhooks/esms/test-esms-secret");
        }
    }

    static final String SIMULATOR = "/simulator";
    static final String ESMS_SEND = SIMULATOR + ProviderSimulator.ESMS_BASE + "/SendZaloFollowerMessage_V5_post_json/";
    static final String CREATE_JOURNEY = SIMULATOR + ProviderSimulator.ETELECOM_BASE + "/CreateJourney";
    static final Duration PATIENCE = Duration.ofSeconds(15);

    @Inject
    AgroalDataSource dataSource;

    Rows rows;
    /** Each test has its own OA, so quota and cost reports see only its own receipts. */
    String oaId;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        oaId = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE));
        given().contentType(ContentType.JSON).body("""
                {"latency": "5ms", "receipt_delay": "300ms", "failure_rate": 0, "unavailable_rate": 0,
                 "receipts": ["success", "delivered", "esms_callback", "journey_acknowledged"],
                 "out_of_order": false, "duplicates": 0}""")
                .put(SIMULATOR + ProviderSimulator.SETTINGS).then().statusCode(200);
    }

    @Test
    void aMessageWithItsChainedJourneyGoesFromAcceptedToDeliveredWithCostAndQuota() {
        // A receipt a second: every state stays long enough to be seen, even while the app warms up.
        settings("{\"receipt_delay\": \"1s\"}");
        ObjectNode body = message();
        body.putObject("journey").put("phone", "0912345678").put("token_type", "token_logistics_7");
        String id = TestKeys.consumer().body(body.toString()).post("/v1/messages")
                .then().statusCode(202).body("status", equalTo("ACCEPTED")).extract().path("id");

        List<String> seen = new ArrayList<>(List.of("ACCEPTED"));
        JsonPath delivered = awaitMessage(id, message -> {
            String status = message.getString("status");
            if (!status.equals(seen.get(seen.size() - 1))) {
                seen.add(status);
            }
            return message.getList("receipts").size() == 3;
        });
        assertThat(seen).containsExactly("ACCEPTED", "SUBMITTED", "SENT", "DELIVERED");
        assertThat(delivered.getString("status")).isEqualTo("DELIVERED");
        assertThat(delivered.getString("provider_message_id")).isNotBlank();
        assertThat(delivered.getString("ext")).isEqualTo("order-123");
        assertThat(delivered.getString("cost.currency")).isEqualTo("VND");
        assertThat(delivered.getDouble("cost.amount")).isEqualTo(300.0);
        assertThat(timeline(delivered)).containsExactly("nxcloud success 0", "nxcloud delivered 17003", "esms success 5");

        String journeyId = delivered.getString("journey.id");
        TestKeys.consumer().get("/v1/journeys/" + journeyId).then().statusCode(200)
                .body("status", equalTo("ACKNOWLEDGED")).body("charged", equalTo(true))
                .body("journey_id", notNullValue()).body("provider_status", equalTo("Z"));
        TestKeys.consumer().get("/v1/oas/" + oaId + "/quota").then().statusCode(200)
                .body("remaining_quota", equalTo(4999)).body("daily_quota", equalTo(5000));
        TestKeys.consumer().queryParam("oa_id", oaId).get("/v1/reports/costs").then().statusCode(200)
                .body("totals[0].currency", equalTo("VND")).body("totals[0].amount", equalTo(550.0f))
                .body("totals[0].charges", equalTo(2));

        // What PostgreSQL holds: every receipt, matched, the message and its journey moved.
        assertThat(rows.query("select provider, status from receipts where message_ref = ?::uuid order by received_at", id))
                .extracting(row -> row.get("provider") + " " + row.get("status"))
                .containsExactly("nxcloud success", "nxcloud delivered", "esms success");
        assertThat(rows.one("select count(*) as n from receipts where journey_ref = ?::uuid and status = 'journey_acknowledged'",
                journeyId).get("n")).isEqualTo(1L);
        assertThat(rows.one("select status from messages where id = ?::uuid", id).get("status")).isEqualTo("DELIVERED");
    }

    @Test
    void receiptsOutOfOrderAndRepeatedEndDeliveredAndAreStoredOnce() {
        settings("{\"out_of_order\": true, \"duplicates\": 2}");
        String id = send(message());

        JsonPath done = awaitMessage(id, message -> message.getList("receipts").size() == 3);
        // delivered came before success, each three times: the state never went back, each receipt is kept once.
        assertThat(timeline(done)).containsExactly("esms success 5", "nxcloud delivered 17003", "nxcloud success 0");
        assertThat(done.getString("status")).isEqualTo("DELIVERED");
        sleep(Duration.ofMillis(300));
        assertThat(rows.one("select count(*) as n from receipts where message_ref = ?::uuid", id).get("n")).isEqualTo(3L);
    }

    @Test
    void failuresAreReportedAsTheProvidersReportThem() {
        settings("{\"failure_rate\": 1}");
        TestKeys.consumer().body("{\"oa_id\": \"" + oaId + "\", \"phone\": \"0912345678\"}").post("/v1/journeys")
                .then().statusCode(422).contentType("application/problem+json");

        String id = send(message());
        JsonPath failed = awaitMessage(id, message -> message.getList("receipts").size() == 2);
        assertThat(failed.getString("status")).isEqualTo("FAILED");
        // Both receipts fail it; whichever takes the message's lock first names the error (the first
        // webhook calls of a fresh app can be slow enough for the later one to overtake).
        assertThat(failed.getString("error.code")).isIn("17004", "5");
        assertThat(failed.getString("error.message")).contains("Zalo account not existed");
        assertThat(timeline(failed)).containsExactlyInAnyOrder("nxcloud failed 17004", "esms failed 5");
        // eSMS's callback of a failed message says TotalPrice 0: nothing was charged.
        assertThat(failed.getDouble("cost.amount")).isZero();
    }

    @Test
    void aJourneyNeverUsedTimesOut() {
        settings("{\"receipts\": [\"journey_time_out\"]}");
        String id = TestKeys.consumer().body("{\"oa_id\": \"" + oaId + "\", \"phone\": \"0912345678\", \"token_type\": \"token_coach_bus_30\"}")
                .post("/v1/journeys").then().statusCode(201).body("status", equalTo("NEW")).extract().path("id");
        assertThat(await("/v1/journeys/" + id, journey -> journey.getString("status").equals("TIMED_OUT")).getString("status"))
                .isEqualTo("TIMED_OUT");
    }

    @Test
    void aSandboxMessageIsTakenButNeverReported() {
        ObjectNode body = message().put("sandbox", true);
        String id = send(body);
        awaitMessage(id, message -> message.getString("status").equals("SUBMITTED"));
        sleep(Duration.ofMillis(1200)); // four receipt delays
        TestKeys.consumer().get("/v1/messages/" + id).then().body("status", equalTo("SUBMITTED"))
                .body("receipts.size()", equalTo(0));
    }

    @Test
    void anUnavailableProviderIsRetriedUntilItAnswers() {
        settings("{\"unavailable_rate\": 1}");
        String id = send(message());
        awaitMessage(id, message -> message.getInt("attempts") >= 1);
        settings("{\"unavailable_rate\": 0}");
        JsonPath delivered = awaitMessage(id, message -> message.getString("status").equals("DELIVERED"));
        assertThat(delivered.getInt("attempts")).isGreaterThanOrEqualTo(2);
    }

    @Test
    void theSimulatorAnswersAsTheProvidersDo() {
        String send = "{\"ApiKey\": \"k\", \"SecretKey\": \"s\", \"OAID\": \"" + oaId + "\", \"Sandbox\": \"1\", "
                + "\"RequestId\": \"r-" + oaId + "\", \"Payload\": {\"recipient\": {\"user_id\": \"1\"}, \"message\": "
                + "{\"attachment\": {\"type\": \"template\", \"payload\": {\"template_type\": \"transaction_order\"}}}}}";
        // eSMS's quirk: JSON labelled text/plain, and nothing else.
        given().contentType(ContentType.JSON).body(send).post(ESMS_SEND).then().statusCode(400);
        String smsId = given().contentType(ContentType.TEXT).body(send).post(ESMS_SEND).then().statusCode(200)
                .body("CodeResult", equalTo("100")).extract().path("SMSID");
        given().contentType(ContentType.TEXT).body(send).post(ESMS_SEND).then().statusCode(200)
                .body("CodeResult", equalTo("124")).body("SMSID", equalTo(smsId));
        given().contentType(ContentType.TEXT).body(send.replace("\"k\"", "\"\"")).post(ESMS_SEND).then().statusCode(200)
                .body("CodeResult", equalTo("101"));
        given().contentType(ContentType.TEXT).body(send.replace("transaction_order", "promotion")).post(ESMS_SEND).then()
                .statusCode(200).body("CodeResult", equalTo("210"));

        String journey = "{\"oa_id\": \"" + oaId + "\", \"phone\": \"84912345678\"}";
        given().contentType(ContentType.JSON).body(journey).post(CREATE_JOURNEY).then().statusCode(401)
                .body("code", equalTo("unauthenticated"));
        given().auth().oauth2("k").contentType(ContentType.JSON).body(journey.replace(oaId, "OA")).post(CREATE_JOURNEY)
                .then().statusCode(400).body("code", equalTo("invalid_argument"));
        given().auth().oauth2("k").contentType(ContentType.JSON).body(journey).post(CREATE_JOURNEY).then().statusCode(200)
                .body("error_code", equalTo(0)).body("status", equalTo("Z")).body("is_charged", equalTo(false));

        settings("{\"unavailable_rate\": 1}");
        given().auth().oauth2("k").contentType(ContentType.JSON).body(journey).post(CREATE_JOURNEY).then().statusCode(503);
        settings("{\"unavailable_rate\": 0}");

        given().contentType(ContentType.JSON).body("{\"failure_rate\": 2}").put(SIMULATOR + ProviderSimulator.SETTINGS)
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", equalTo("failure-rate must be between 0 and 1"));
    }

    @Test
    void getCallbackHandsBackWhatTheCallbackSaid() {
        String id = send(message());
        String smsId = awaitMessage(id, message -> message.getString("provider_message_id") != null).getString("provider_message_id");
        given().contentType(ContentType.JSON)
                .body("{\"ApiKey\": \"k\", \"SecretKey\": \"s\", \"OAId\": \"" + oaId + "\", \"ListRefid\": [\"" + smsId + "\", \"unknown\"]}")
                .post(SIMULATOR + ProviderSimulator.ESMS_STATUS_BASE + "/ZaloCallback/GetCallback").then().statusCode(200)
                .body("Code", equalTo("100")).body("Data_callback.size()", equalTo(1))
                .body("Data_callback[0].SMSID", equalTo(smsId)).body("Data_callback[0].SendSuccess", equalTo("1"));
    }

    ObjectNode message() {
        ObjectNode body = MessageResourceTest.message();
        body.put("oa_id", oaId);
        return body;
    }

    static String send(ObjectNode body) {
        return TestKeys.consumer().body(body.toString()).post("/v1/messages").then().statusCode(202).extract().path("id");
    }

    static void settings(String json) {
        given().contentType(ContentType.JSON).body(json).put(SIMULATOR + ProviderSimulator.SETTINGS).then().statusCode(200);
    }

    static JsonPath awaitMessage(String id, Predicate<JsonPath> until) {
        return await("/v1/messages/" + id, until);
    }

    /** The resource as the consumer sees it, once {@code until} holds (or as it is when patience runs out). */
    static JsonPath await(String path, Predicate<JsonPath> until) {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            JsonPath resource = TestKeys.consumer().get(path).then().statusCode(200).extract().jsonPath();
            if (until.test(resource) || System.nanoTime() > deadline) {
                return resource;
            }
            sleep(Duration.ofMillis(20));
        }
    }

    static List<String> timeline(JsonPath message) {
        return message.getList("receipts", Map.class).stream()
                .map(receipt -> receipt.get("provider") + " " + receipt.get("status") + " " + receipt.get("code")).toList();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(interrupted);
        }
    }
}
