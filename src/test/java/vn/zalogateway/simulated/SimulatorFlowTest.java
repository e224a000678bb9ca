package vn.zalogateway.simulated;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
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
                 "out_of_order": false, "duplicates": 0, "token_lifetime": "0s", "duplicate_without_smsid_rate": 0,
                 "blocked_user_ids": [], "daily_quota": 5000, "sms_failure_rate": 0}""")
                .put(SIMULATOR + ProviderSimulator.SETTINGS).then().statusCode(200);
    }

    /** An OA nobody reported on: the gateway asks the simulated eSMS, which answers from its quota bookkeeping. */
    @Test
    void anOaWithoutAReadingIsAskedOfTheSimulator() {
        JsonPath quota = TestKeys.consumer().get("/v1/oas/" + oaId + "/quota").then().statusCode(200).extract().jsonPath();
        assertThat(quota.getInt("remaining_quota")).isEqualTo(5000);
        assertThat(quota.getInt("daily_quota")).isEqualTo(5000);
        assertThat(quota.getString("source")).isEqualTo("provider");
        assertThat(rows.one("select remaining_quota, source from oa_quotas where oa_id = ?", Long.parseLong(oaId)))
                .containsEntry("remaining_quota", 5000).containsEntry("source", "provider");
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
        // NXCloud's success waited for eSMS's callback to teach the message Zalo's id; delivered found it at once.
        assertThat(timeline(delivered)).containsExactly("nxcloud success 0", "esms success 5", "nxcloud delivered 17003");

        TestKeys.consumer().get("/v1/oas/" + oaId + "/quota").then().statusCode(200)
                .body("remaining_quota", equalTo(4999)).body("daily_quota", equalTo(5000));
        TestKeys.consumer().queryParam("oa_id", oaId).get("/v1/reports/costs").then().statusCode(200)
                .body("totals[0].currency", equalTo("VND")).body("totals[0].amount", equalTo(300.0f))
                .body("totals[0].charges", equalTo(1));

        // What PostgreSQL holds: every receipt, matched, the message moved.
        assertThat(rows.query("select provider, status from receipts where message_ref = ?::uuid order by received_at", id))
                .extracting(row -> row.get("provider") + " " + row.get("status"))
                .containsExactly("nxcloud success", "esms success", "nxcloud delivered");
        assertThat(rows.one("select status from messages where id = ?::uuid", id).get("status")).isEqualTo("DELIVERED");
    }

    /**
     * Production's matching path: eSMS's answer gives the SMSID; NXCloud's receipts quote NXCloud's own requestId
     * (never the SMSID) and its success Zalo's message id; eSMS's callback names our RequestId and Zalo's message id.
     * success waits unmatched until the callback teaches the message Zalo's id, then teaches it NXCloud's requestId,
     * by which delivered is found.
     */
    @Test
    void nxcloudsReceiptsFindTheMessageByTheIdsItLearns() {
        String id = send(message());
        JsonPath delivered = awaitMessage(id, message -> message.getList("receipts").size() == 3
                && message.getString("status").equals("DELIVERED"));
        assertThat(delivered.getString("status")).isEqualTo("DELIVERED");
        assertLearnedEveryId(id, delivered);
        assertThat(rows.one("""
                select s.applied_at >= e.applied_at as later from receipts s, receipts e
                where s.message_ref = ?::uuid and s.provider = 'nxcloud' and s.status = 'success'
                    and e.message_ref = s.message_ref and e.provider = 'esms'""", id).get("later"))
                .as("success was applied once the callback had taught Zalo's id").isEqualTo(true);
    }

    /** The message's ids as production learns them: eSMS's SMSID, NXCloud's requestId and Zalo's message id. */
    void assertLearnedEveryId(String id, JsonPath resource) {
        Map<String, Object> message = rows.one("select provider_message_id, nxcloud_request_id, zalo_msg_id from messages "
                + "where id = ?::uuid", id);
        Map<String, Object> esms = rows.one("select request_id, zalo_msg_id from receipts where message_ref = ?::uuid "
                + "and provider = 'esms'", id);
        List<Map<String, Object>> nxcloud = rows.query("select request_id, zalo_msg_id, status from receipts "
                + "where message_ref = ?::uuid and provider = 'nxcloud'", id);
        assertThat(message.get("provider_message_id")).as("eSMS's SMSID").isEqualTo(esms.get("request_id"))
                .isEqualTo(resource.getString("provider_message_id"));
        assertThat(nxcloud).extracting(row -> row.get("request_id")).as("NXCloud's own requestId, never the SMSID")
                .containsOnly(message.get("nxcloud_request_id"));
        assertThat((String) message.get("nxcloud_request_id")).matches("zalomid\\.[0-9a-f]{32}");
        assertThat(message.get("zalo_msg_id")).as("Zalo's message id, from eSMS's partnerids and NXCloud's zaloRes")
                .isNotNull().isEqualTo(esms.get("zalo_msg_id")).isEqualTo(resource.getString("zalo_msg_id"));
        assertThat(nxcloud).filteredOn(row -> "success".equals(row.get("status"))).extracting(row -> row.get("zalo_msg_id"))
                .containsExactly(message.get("zalo_msg_id"));
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

        JsonPath done = awaitMessage(id, message -> message.getList("receipts").size() == 3
                && message.getString("status").equals("DELIVERED"));
        // delivered came first, each three times, and waited for success to teach NXCloud's requestId (success found the
        // message by the Zalo id eSMS's callback had taught): the state never went back, each receipt is kept once.
        assertThat(timeline(done)).containsExactly("nxcloud delivered 17003", "esms success 5", "nxcloud success 0");
        assertThat(done.getString("status")).isEqualTo("DELIVERED");
        assertLearnedEveryId(id, done);
        // The copies sent with the last one change nothing once taken: still three.
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(
                rows.one("select count(*) as n from receipts where message_ref = ?::uuid", id).get("n")).isEqualTo(3L));
    }

    @Test
    void failuresAreReportedAsTheProvidersReportThem() {
        String journeyId = TestKeys.consumer().body("{\"oa_id\": \"" + oaId + "\", \"phone\": \"0912345678\"}")
                .post("/v1/journeys").then().statusCode(201).extract().path("id");
        settings("{\"failure_rate\": 1}");
        TestKeys.consumer().body("{\"oa_id\": \"" + oaId + "\", \"phone\": \"0912345678\"}").post("/v1/journeys")
                .then().statusCode(422).contentType("application/problem+json");

        String id = send(message());
        JsonPath failed = awaitMessage(id, message -> message.getString("status").equals("FAILED")
                && message.getList("receipts").size() == 1);
        assertThat(failed.getString("status")).isEqualTo("FAILED");
        // eSMS's callback names our RequestId and Zalo's own error number (error_info).
        assertThat(failed.getString("error.code")).isEqualTo("-118");
        assertThat(failed.getString("error.class")).isEqualTo("recipient_unreachable");
        assertThat(failed.getString("error.message")).contains("Zalo account not existed");
        assertThat(timeline(failed)).containsExactly("esms failed 5");
        // NXCloud's failed names only its own requestId (zaloRes.data is null): no id the message knows, so it is kept
        // unmatched, as it would be in production.
        Awaitility.await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows.one("""
                select count(*) as n from receipts where provider = 'nxcloud' and status = 'failed' and message_ref is null
                    and request_id like 'zalomid.%' and received_at >= (select created_at from messages where id = ?::uuid)""",
                id).get("n")).isEqualTo(1L));
        // eSMS's callback of a failed message says TotalPrice 0: nothing was charged.
        assertThat(failed.getDouble("cost.amount")).isZero();

        // Zalo refuses a journey message at once: eTelecom says so in its answer, nothing is sent or charged.
        ObjectNode onToken = journeyMessage("Đang giao").put("journey_id", journeyId);
        JsonPath refused = awaitMessage(send(onToken), message -> message.getString("status").equals("FAILED"));
        assertThat(refused.getString("status")).isEqualTo("FAILED");
        assertThat(refused.getString("error.code")).isEqualTo("-118");
        assertThat(refused.getString("provider_message_id")).isNull();
    }

    @Test
    void aJourneyNeverUsedTimesOutWhenItExpires() {
        settings("{\"receipts\": [\"journey_time_out\"], \"token_lifetime\": \"1s\"}");
        JsonPath created = TestKeys.consumer().body("{\"oa_id\": \"" + oaId + "\", \"phone\": \"0912345678\", "
                + "\"token_type\": \"token_coach_bus_30\"}").post("/v1/journeys").then().statusCode(201)
                .body("status", equalTo("NEW")).extract().jsonPath();
        assertThat(Duration.between(OffsetDateTime.parse(created.getString("created_at")),
                OffsetDateTime.parse(created.getString("expires_at")))).as("the token lifetime the simulator was given")
                .isLessThan(Duration.ofSeconds(5));
        JsonPath timedOut = await("/v1/journeys/" + created.getString("id"),
                journey -> journey.getString("status").equals("TIMED_OUT"));
        assertThat(timedOut.getString("status")).isEqualTo("TIMED_OUT");
        assertThat(timedOut.getList("receipts.status")).containsExactly("journey_time_out");
    }

    @Test
    void aJourneyUsedBeforeItExpiresNeverTimesOut() {
        settings("{\"receipts\": [\"success\", \"delivered\", \"journey_acknowledged\", \"journey_time_out\"], "
                + "\"token_lifetime\": \"2s\"}");
        ObjectNode first = journeyMessage("Đã lấy hàng");
        first.putObject("journey").put("token_type", "token_logistics_7");
        String id = awaitMessage(send(first), message -> message.getString("journey.id") != null).getString("journey.id");
        JsonPath acknowledged = await("/v1/journeys/" + id, journey -> journey.getString("status").equals("ACKNOWLEDGED"));
        assertThat(acknowledged.getString("status")).isEqualTo("ACKNOWLEDGED");
        String providerJourneyId = acknowledged.getString("journey_id");
        // Its expiry (2 s), one receipt delay and more go by: no journey_time_out for a token that carried a message.
        Awaitility.await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(6)).untilAsserted(() -> assertThat(rows.one(
                "select count(*) as n from receipts where journey_id = ? and status = 'journey_time_out'", providerJourneyId)
                .get("n")).isEqualTo(0L));
        TestKeys.consumer().get("/v1/journeys/" + id).then().statusCode(200).body("status", equalTo("ACKNOWLEDGED"));
    }

    @Test
    void aSandboxMessageIsTakenButNeverReported() {
        ObjectNode body = message().put("sandbox", true);
        String id = send(body);
        awaitMessage(id, message -> message.getString("status").equals("SUBMITTED"));
        // Four receipt delays go by with nothing.
        Awaitility.await().during(Duration.ofMillis(1200)).atMost(Duration.ofSeconds(3)).untilAsserted(() ->
                TestKeys.consumer().get("/v1/messages/" + id).then().body("status", equalTo("SUBMITTED"))
                        .body("receipts.size()", equalTo(0)));
    }

    @Test
    void anUnavailableProviderIsRetriedUntilItAnswers() {
        settings("{\"unavailable_rate\": 1}");
        String id = send(message());
        awaitMessage(id, message -> message.getInt("send_attempts") >= 1);
        settings("{\"unavailable_rate\": 0}");
        JsonPath delivered = awaitMessage(id, message -> message.getString("status").equals("DELIVERED"));
        assertThat(delivered.getInt("send_attempts")).isGreaterThanOrEqualTo(2);
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
        settings("{\"duplicate_without_smsid_rate\": 1}");
        given().contentType(ContentType.TEXT).body(send).post(ESMS_SEND).then().statusCode(200)
                .body("CodeResult", equalTo("124")).body("$", not(hasKey("SMSID")));
        settings("{\"blocked_user_ids\": [\"1\"]}");
        // 99 is a blocked number, and only that.
        given().contentType(ContentType.TEXT).body(send.replace("\"r-", "\"other-r-")).post(ESMS_SEND).then().statusCode(200)
                .body("CodeResult", equalTo("99")).body("$", not(hasKey("SMSID")));
        settings("{\"blocked_user_ids\": []}");
        given().contentType(ContentType.TEXT).body(send.replace("\"r-", "\"" + "r".repeat(40) + "-")).post(ESMS_SEND).then()
                .statusCode(200).body("CodeResult", equalTo("110")).body("ErrorMessage", containsString("RequestId"));
        given().contentType(ContentType.TEXT).body(send.replace("\"Sandbox\"", "\"CallbackUrl\": \"not a url\", \"Sandbox\""))
                .post(ESMS_SEND).then().statusCode(200).body("CodeResult", equalTo("110"))
                .body("ErrorMessage", containsString("CallbackUrl"));
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
                .body("error_code", equalTo(0)).body("msg_id", matchesPattern("[0-9a-f]{20}"))
                .body("journey_id", equalTo(journeyId)).body("fee_main", equalTo(300)).body("fee_token", equalTo(250));
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

    /** The README's fallback: Zalo cannot reach the customer, the SMS does; both attempts are on the message. */
    @Test
    void aMessageZaloCannotDeliverReachesTheCustomerBySms() {
        settings("{\"failure_rate\": 1}");
        String id = send(withFallback(message()));
        JsonPath delivered = awaitMessage(id, message -> message.getString("status").equals("DELIVERED"));
        assertThat(delivered.getString("status")).isEqualTo("DELIVERED");
        assertThat(delivered.getString("channel")).isEqualTo("sms");
        assertThat(delivered.getString("attempts[0].channel")).isEqualTo("zalo");
        assertThat(delivered.getString("attempts[0].status")).isEqualTo("FAILED");
        assertThat(delivered.getString("attempts[0].error.code")).isEqualTo("-118");
        assertThat(delivered.getString("attempts[1].channel")).isEqualTo("sms");
        assertThat(delivered.getString("attempts[1].status")).isEqualTo("DELIVERED");
        assertThat(delivered.getString("attempts[1].reason")).isEqualTo("zalo_failed");
        assertThat(delivered.getDouble("attempts[1].cost.amount")).as("one part at the simulator's 750 VND").isEqualTo(750.0);
        assertThat(delivered.getList("receipts", Map.class).stream().filter(receipt -> "sms".equals(receipt.get("channel")))
                .map(receipt -> receipt.get("status"))).containsExactly("success", "delivered");
    }

    /** An OA whose quota is spent: eSMS says so once, the OA is held, and a message with a fallback goes by SMS. */
    @Test
    void anOaWithNoQuotaLeftIsHeldAndItsFallbacksGoBySms() {
        settings("{\"daily_quota\": 0}");
        String held = send(message());
        JsonPath waiting = awaitMessage(held, message -> message.get("held") != null);
        assertThat(waiting.getString("status")).isEqualTo("ACCEPTED");
        assertThat(waiting.getString("held.reason")).isEqualTo("oa_quota");
        TestKeys.consumer().get("/v1/oas/" + oaId + "/quota").then().statusCode(200).body("remaining_quota", equalTo(0))
                .body("held_until", org.hamcrest.Matchers.notNullValue());

        String fellBack = send(withFallback(message()));
        JsonPath delivered = awaitMessage(fellBack, message -> message.getString("status").equals("DELIVERED"));
        assertThat(delivered.getString("status")).isEqualTo("DELIVERED");
        assertThat(delivered.getList("attempts.channel")).as("Zalo is not tried while the OA is held").containsExactly("sms");
        assertThat(delivered.getString("attempts[0].reason")).isEqualTo("oa_quota_held");
    }

    static ObjectNode withFallback(ObjectNode message) {
        message.putObject("fallback").putObject("sms").put("phone", "0912345678").put("text", "Don hang DH-001 dang giao")
                .put("brandname", "SHOP-A");
        return message;
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
        java.util.concurrent.atomic.AtomicReference<JsonPath> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            Awaitility.await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20)).until(() -> {
                last.set(TestKeys.consumer().get(path).then().statusCode(200).extract().jsonPath());
                return until.test(last.get());
            });
        } catch (org.awaitility.core.ConditionTimeoutException patienceRanOut) {
            // The caller's assertions say what is wrong with the resource as it last was.
        }
        return last.get();
    }

    static List<String> timeline(JsonPath message) {
        return message.getList("receipts", Map.class).stream()
                .map(receipt -> receipt.get("provider") + " " + receipt.get("status") + " " + receipt.get("code")).toList();
    }

}
