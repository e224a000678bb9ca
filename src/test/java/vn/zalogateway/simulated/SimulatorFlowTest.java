package vn.zalogateway.simulated;

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
import vn.zalogateway.simulator.ProviderSimulator;
import vn.zalogateway.support.Messages;
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
    static final String SEND_ZNS_JOURNEY = SIMULATOR + ProviderSimulator.ETELECOM_BASE + "/SendZNSJourney";
    static final Duration PATIENCE = Duration.ofSeconds(15);
    static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

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
    void aMessageGoesFromAcceptedToDeliveredWithCostAndQuota() {
        // A receipt a second: every state stays long enough to be seen, even while the app warms up.
        settings("{\"receipt_delay\": \"1s\"}");
        String id = TestKeys.consumer().body(message().toString()).post("/v1/messages")
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
        assertThat(delivered.getString("receipts[0].zalo.msg_id")).as("what Zalo answered is kept").isNotBlank();
        assertThat(timeline(delivered)).containsExactly("nxcloud success 0", "nxcloud delivered 17003", "esms success 5");

        TestKeys.consumer().get("/v1/oas/" + oaId + "/quota").then().statusCode(200)
                .body("remaining_quota", equalTo(4999)).body("daily_quota", equalTo(5000));
        TestKeys.consumer().queryParam("oa_id", oaId).get("/v1/reports/costs").then().statusCode(200)
                .body("totals[0].currency", equalTo("VND")).body("totals[0].amount", equalTo(300.0f))
                .body("totals[0].charges", equalTo(1));

        // What PostgreSQL holds: every receipt, matched, the message moved.
        assertThat(rows.query("select provider, status from receipts where message_ref = ?::uuid order by received_at", id))
                .extracting(row -> row.get("provider") + " " + row.get("status"))
                .containsExactly("nxcloud success", "nxcloud delivered", "esms success");
        assertThat(rows.one("select status from messages where id = ?::uuid", id).get("status")).isEqualTo("DELIVERED");
    }

    /** docs/API.md's logistics journey: one token, three ZNS journey messages, one charge of the token. */
    @Test
    void aLogisticsJourneySendsThreeMessagesOnOneTokenChargedOnce() {
        ObjectNode first = journeyMessage("Đã lấy hàng");
        first.putObject("journey").put("token_type", "token_logistics_7");
        String pickedUp = send(first);
        String journeyId = awaitMessage(pickedUp, message -> message.getString("journey.id") != null).getString("journey.id");

        List<String> ids = new ArrayList<>(List.of(pickedUp));
        for (String status : List.of("Đang vận chuyển", "Đã giao hàng")) {
            ids.add(send(journeyMessage(status).put("journey_id", journeyId)));
        }
        for (String id : ids) {
            JsonPath delivered = awaitMessage(id, message -> message.getString("status").equals("DELIVERED"));
            assertThat(delivered.getString("kind")).isEqualTo("zns_journey");
            assertThat(delivered.getString("journey.id")).isEqualTo(journeyId);
        }
        JsonPath journey = await("/v1/journeys/" + journeyId, read -> read.getString("status").equals("ACKNOWLEDGED"));
        assertThat(journey.getBoolean("charged")).isTrue();
        assertThat(journey.getList("messages.id")).containsExactlyElementsOf(ids);
        assertThat(journey.getList("messages.fee_token", Float.class)).containsExactly(250.0f, 0.0f, 0.0f);

        TestKeys.consumer().queryParam("oa_id", oaId).get("/v1/reports/costs").then().statusCode(200)
                .body("totals[0].currency", equalTo("VND")).body("totals[0].amount", equalTo(1150.0f))
                .body("totals[0].charges", equalTo(4));
        assertThat(rows.one("select count(*) as n from journeys where oa_id = ?::bigint", oaId).get("n")).isEqualTo(1L);
        assertThat(rows.one("select count(*) as n from receipts where journey_ref = ?::uuid and status = 'journey_acknowledged'",
                journeyId).get("n")).as("charged once").isEqualTo(1L);
    }

    /** A ZNS journey message of this test's OA, to the phone every test uses. */
    ObjectNode journeyMessage(String status) {
        ObjectNode body = JSON.createObjectNode().put("kind", "zns_journey").put("oa_id", oaId).put("phone", "0912345678")
                .put("template_id", 231456).put("ext", "DH-001");
        body.putObject("template_data").put("order_code", "DH-001").put("status", status);
        return body;
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
        String journeyId = given().auth().oauth2("k").contentType(ContentType.JSON).body(journey).post(CREATE_JOURNEY).then()
                .statusCode(200).body("error_code", equalTo(0)).body("status", equalTo("Z")).body("is_charged", equalTo(false))
                .extract().path("journey_id");

        String zns = "{\"oa_id\": \"" + oaId + "\", \"journey_id\": \"" + journeyId + "\", \"phone\": \"84912345678\", "
                + "\"template_id\": 231456, \"template_data\": {\"order_code\": \"DH-1\"}, \"tracking_id\": \"t-1\"}";
        given().contentType(ContentType.JSON).body(zns).post(SEND_ZNS_JOURNEY).then().statusCode(401);
        given().auth().oauth2("k").contentType(ContentType.JSON).body(zns.replace(journeyId, "42")).post(SEND_ZNS_JOURNEY)
                .then().statusCode(200).body("error_code", equalTo(2));
        given().auth().oauth2("k").contentType(ContentType.JSON).body(zns.replace("84912345678", "84987654321"))
                .post(SEND_ZNS_JOURNEY).then().statusCode(200).body("error_code", equalTo(3));
        given().auth().oauth2("k").contentType(ContentType.JSON).body(zns.replace("231456", "\"x\"")).post(SEND_ZNS_JOURNEY)
                .then().statusCode(400).body("code", equalTo("invalid_argument"));
        given().auth().oauth2("k").contentType(ContentType.JSON).body(zns).post(SEND_ZNS_JOURNEY).then().statusCode(200)
                .body("error_code", equalTo(0)).body("msg_id", notNullValue()).body("journey_id", equalTo(journeyId))
                .body("tracking_id", equalTo("t-1")).body("fee_main", equalTo(300)).body("fee_token", equalTo(250));
        given().auth().oauth2("k").contentType(ContentType.JSON).body(zns).post(SEND_ZNS_JOURNEY).then().statusCode(200)
                .body("fee_token", equalTo(0));

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
        ObjectNode body = Messages.message();
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
