package vn.zalogateway.receipt;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.Management;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.Seeds;
import vn.zalogateway.support.TestKeys;

@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class NxcloudWebhookTest {

    static final String WEBHOOK = "/v1/webhooks/nxcloud/test-nxcloud-secret";
    static final String MESSAGE_ID = "0190a0a0-0000-7000-8000-00000000aaaa";
    static final String REQUEST_ID = "zalomid.a941ccf8dd374dafxxxxxxacbe7a6ea5";
    static final String FAILED_REQUEST_ID = "zalomid.68d9cc28ba9546f797exxxxxx9333e23";

    @Inject
    AgroalDataSource dataSource;

    @InjectEsms
    WireMockServer esms;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("receipts", "charges", "oa_quotas", "messages", "journeys", "idempotency_keys");
        esms.resetAll();
    }

    void submittedMessage(String id, String smsId) {
        rows.submittedMessage(id, smsId);
    }

    void journey(String id, String journeyId) {
        rows.update("insert into journeys (consumer_id, id, oa_id, phone, token_type, status, provider_status, journey_id, journey_token, "
                + "created_at, updated_at) values ('00000000-0000-7000-8000-000000000001', ?::uuid, 3041812345605770721, '84912345678', 'token_logistics_7', 'NEW', "
                + "'Z', ?, 'jt', now(), now())", id, journeyId);
    }

    static Response deliver(String body) {
        return given().contentType(ContentType.JSON).body(body).post(WEBHOOK);
    }

    static String seed(String name) {
        return Seeds.nxcloud(name);
    }

    String messageStatus(String id) {
        return (String) rows.one("select status from messages where id = ?::uuid", id).get("status");
    }

    // --- the seed's bodies, verbatim ------------------------------------------------------------

    @Test
    void successStoresTheRawReceiptThenMovesTheMessageToSent() {
        submittedMessage(MESSAGE_ID, REQUEST_ID);

        deliver(seed("success")).then().statusCode(200).body("status", equalTo("stored"));

        Map<String, Object> receipt = rows.one("select * from receipts");
        assertThat(receipt).containsEntry("provider", "nxcloud").containsEntry("valid", true)
                .containsEntry("status", "success").containsEntry("code", 0).containsEntry("request_id", REQUEST_ID)
                .containsEntry("cost_currency", "USD").containsEntry("remaining_quota", 4999)
                .containsEntry("daily_quota", 5000).containsEntry("ext", "ext info")
                .containsEntry("raw_body", seed("success"));
        assertThat((BigDecimal) receipt.get("cost_amount")).isEqualByComparingTo("4.1234");
        assertThat(receipt.get("message_ref").toString()).isEqualTo(MESSAGE_ID);
        assertThat(receipt.get("applied_at")).isNotNull();
        assertThat(messageStatus(MESSAGE_ID)).isEqualTo("SENT");

        TestKeys.consumer().get("/v1/messages/" + MESSAGE_ID).then().statusCode(200)
                .body("status", equalTo("SENT"))
                .body("cost.currency", equalTo("USD"))
                .body("cost.amount", equalTo(4.1234f))
                .body("receipts", hasSize(1))
                .body("receipts[0].status", equalTo("success"))
                .body("receipts[0].code", equalTo(0))
                .body("receipts[0].meaning", equalTo("Sent to Zalo"))
                .body("receipts[0].provider", equalTo("nxcloud"));
    }

    @Test
    void deliveredAndFailedMoveTheirMessages() {
        submittedMessage(MESSAGE_ID, REQUEST_ID);
        submittedMessage("0190a0a0-0000-7000-8000-00000000bbbb", FAILED_REQUEST_ID);

        deliver(seed("delivered")).then().statusCode(200);
        deliver(seed("failed")).then().statusCode(200);

        assertThat(messageStatus(MESSAGE_ID)).isEqualTo("DELIVERED");
        TestKeys.consumer().get("/v1/messages/0190a0a0-0000-7000-8000-00000000bbbb").then()
                .body("status", equalTo("FAILED"))
                .body("error.code", equalTo("17004"))
                .body("receipts[0].meaning", equalTo("Zalo refused to send (see the Zalo response)"))
                .body("error.message", equalTo("Zalo send error(Zalo account not existed)"));
    }

    @Test
    void journeyReceiptsMoveJourneysEvenWithoutARequestId() {
        journey("0190a0a0-0000-7000-8000-00000000cccc", "126052xxxx58967296");
        journey("0190a0a0-0000-7000-8000-00000000dddd", "126051xxxxxx4045952");

        deliver(seed("journey_acknowledged")).then().statusCode(200);
        deliver(seed("journey_time_out")).then().statusCode(200);

        TestKeys.consumer().get("/v1/journeys/0190a0a0-0000-7000-8000-00000000cccc").then()
                .body("status", equalTo("ACKNOWLEDGED")).body("charged", equalTo(true));
        TestKeys.consumer().get("/v1/journeys/0190a0a0-0000-7000-8000-00000000dddd").then()
                .body("status", equalTo("TIMED_OUT")).body("charged", equalTo(false));
        assertThat(rows.count("receipts where journey_ref is not null and applied_at is not null")).isEqualTo(2);
    }

    // --- duplicates and order -------------------------------------------------------------------

    @Test
    void theSameReceiptTwiceIsStoredOnce() throws Exception {
        submittedMessage(MESSAGE_ID, REQUEST_ID);
        deliver(seed("success")).then().statusCode(200);
        deliver(seed("success").replace("    ", "  ")).then().statusCode(200);

        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> deliver(seed("delivered")).statusCode(), pool));
            }
            assertThat(answers.stream().map(CompletableFuture::join)).containsOnly(200);
        } finally {
            pool.shutdownNow();
        }
        assertThat(rows.count("receipts where status = 'success'")).isEqualTo(1);
        assertThat(rows.count("receipts where status = 'delivered'")).isEqualTo(1);
        assertThat(messageStatus(MESSAGE_ID)).isEqualTo("DELIVERED");
    }

    /**
     * Receipts that arrive together share a transaction: duplicates among them, two receipts of one message
     * and receipts of unknown messages in one batch each end as if they had come one by one.
     */
    @Test
    void receiptsArrivingTogetherEndAsIfTheyHadComeOneByOne() throws Exception {
        int messages = 30;
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < messages; i++) {
            String smsId = "sms-batch-" + i;
            submittedMessage(String.format("0190a0a0-0000-7000-8000-%012d", i), smsId);
            // Each message its own Zalo id too, as Zalo gives them (the seed's would match every message by it).
            String success = seed("success").replace(REQUEST_ID, smsId).replace("5c4ee6axxxxxx9692026", "zalo-batch-" + i);
            String delivered = seed("delivered").replace(REQUEST_ID, smsId);
            bodies.addAll(List.of(success, delivered, delivered, success));
        }
        bodies.add(seed("success").replace(REQUEST_ID, "sms-batch-unknown").replace("5c4ee6axxxxxx9692026", "zalo-batch-unknown"));
        java.util.Collections.shuffle(bodies, new java.util.Random(19));
        double batchedBefore = metric("gateway_receipts_batch_size_sum");
        double failedBefore = metric("gateway_receipts_batches_failed_total");

        ExecutorService pool = Executors.newFixedThreadPool(24);
        try {
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (String body : bodies) {
                answers.add(CompletableFuture.supplyAsync(() -> deliver(body).statusCode(), pool));
            }
            assertThat(answers.stream().map(CompletableFuture::join)).containsOnly(200);
        } finally {
            pool.shutdownNow();
        }

        assertThat(rows.count("messages where status = 'DELIVERED'")).isEqualTo(messages);
        assertThat(rows.count("receipts")).isEqualTo(2 * messages + 1);
        assertThat(rows.count("receipts where applied_at is not null and message_ref is not null")).isEqualTo(2 * messages);
        assertThat(rows.count("receipts where request_id = 'sms-batch-unknown' and applied_at is null")).isEqualTo(1);
        assertThat(metric("gateway_receipts_batch_size_sum") - batchedBefore).isEqualTo(bodies.size());
        assertThat(metric("gateway_receipts_batches_failed_total") - failedBefore).isZero(); // none needed one by one
    }

    static double metric(String name) {
        return Management.given().get("/q/metrics").asString().lines().filter(line -> line.startsWith(name + " "))
                .mapToDouble(line -> Double.parseDouble(line.substring(name.length() + 1))).sum();
    }

    @ParameterizedTest(name = "{0} then {1} leaves {2}")
    @CsvSource({
            "delivered, success, DELIVERED",
            "success, delivered, DELIVERED",
            "failed, success, FAILED",
            "success, failed, FAILED",
            "delivered, failed, DELIVERED",
            "failed, delivered, FAILED" })
    void outOfOrderReceiptsLeaveTheRightFinalState(String first, String second, String expected) {
        submittedMessage(MESSAGE_ID, REQUEST_ID);
        String failedForThisMessage = seed("failed").replace(FAILED_REQUEST_ID, REQUEST_ID);
        deliver(first.equals("failed") ? failedForThisMessage : seed(first)).then().statusCode(200);
        deliver(second.equals("failed") ? failedForThisMessage : seed(second)).then().statusCode(200);

        assertThat(messageStatus(MESSAGE_ID)).isEqualTo(expected);
        TestKeys.consumer().get("/v1/messages/" + MESSAGE_ID).then()
                .body("receipts.status", org.hamcrest.Matchers.contains(first, second));
    }

    @Test
    void aLateTimeOutDoesNotUndoAnAcknowledgedJourney() {
        journey("0190a0a0-0000-7000-8000-00000000cccc", "126052xxxx58967296");
        deliver(seed("journey_acknowledged")).then().statusCode(200);
        deliver(seed("journey_time_out").replace("126051xxxxxx4045952", "126052xxxx58967296")).then().statusCode(200);
        TestKeys.consumer().get("/v1/journeys/0190a0a0-0000-7000-8000-00000000cccc").then()
                .body("status", equalTo("ACKNOWLEDGED"));
    }

    // --- unmatched, then matched ----------------------------------------------------------------

    @Test
    void aReceiptThatRacedTheEsmsAnswerIsAppliedOnceTheMessageIsKnown() {
        deliver(seed("success").replace(REQUEST_ID, "sms-early")).then().statusCode(200);
        assertThat(rows.one("select applied_at, message_ref from receipts")).containsEntry("applied_at", null)
                .containsEntry("message_ref", null);
        awaitMetric("gateway_receipts_waiting 1.0");

        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"CodeResult\": \"100\", \"SMSID\": \"sms-early\"}")));
        String id = TestKeys.consumer().body(Messages.message().toString()).post("/v1/messages")
                .then().statusCode(202).extract().path("id");

        Messages.awaitStatus(id, "SENT");
        // A read may fall between the sweep's commit and the receipts' query (receipts are read first, so a
        // status is never behind them, but may be ahead for one read): the next read lists the receipt.
        Response read = await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> TestKeys.consumer().get("/v1/messages/" + id), listed -> listed.path("receipts[0].status") != null);
        read.then().body("status", equalTo("SENT")).body("receipts[0].status", equalTo("success"));
    }

    @Inject
    jakarta.enterprise.event.Event<vn.zalogateway.common.ProviderReferencesKnown> referencesKnown;

    /** The journey is recorded (here by hand, as another replica would, which then sweeps): the receipt applies. */
    @Test
    void aJourneyReceiptWaitsForItsJourney() throws Exception {
        deliver(seed("journey_acknowledged")).then().statusCode(200);
        journey("0190a0a0-0000-7000-8000-00000000cccc", "126052xxxx58967296");
        referencesKnown.fire(new vn.zalogateway.common.ProviderReferencesKnown());

        await().atMost(Duration.ofSeconds(10)).until(() -> rows.count("journeys where status = 'ACKNOWLEDGED'") > 0);
        assertThat(rows.count("journeys where status = 'ACKNOWLEDGED'")).isEqualTo(1);
    }

    static void awaitMetric(String line) {
        String name = line.substring(0, line.indexOf(' '));
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).untilAsserted(() -> {
            String metrics = Management.given().get("/q/metrics").asString();
            assertThat(metrics.contains(line)).as("metric line %s; found: %s", line,
                    metrics.lines().filter(found -> found.startsWith(name)).toList()).isTrue();
        });
    }

    // --- refusals -------------------------------------------------------------------------------

    @Test
    void aWrongSecretIs401AndStoresNothing() {
        given().contentType(ContentType.JSON).body(seed("success")).post("/v1/webhooks/nxcloud/guess")
                .then().statusCode(401).contentType("application/problem+json")
                .body("instance", not(containsString("guess")));
        given().contentType(ContentType.JSON).body(seed("success")).post("/v1/webhooks/nxcloud/")
                .then().statusCode(404);
        assertThat(rows.count("receipts")).isZero();
        assertThat(Management.given().get("/q/metrics").asString()).as("metrics name routes, never secrets")
                .doesNotContain("test-nxcloud-secret").doesNotContain("guess");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"status\": \"success\", |body",
            "{\"status\": \"read\", \"requestId\": \"r\"}|status",
            "{\"status\": \"progress\", \"requestId\": \"r\"}|status",
            "[1, 2, 3]|body",
            "{\"status\": \"journey_time_out\", \"code\": 17007}|journeyId" })
    void anUnreadableReceiptIs400AndIsKeptForInspection(String body, String field) {
        deliver(body).then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", org.hamcrest.Matchers.hasItem(field))
                .body("instance", equalTo("/v1/webhooks/nxcloud/***"));
        assertThat(rows.one("select valid, raw_body, applied_at from receipts")).containsEntry("valid", false)
                .containsEntry("raw_body", body).containsEntry("applied_at", null);
    }

    /** An optional field in an odd shape costs the receipt only that field: 200, the status applied, the field named. */
    @Test
    void anOddOptionalFieldIsNamedUnreadableAndTheReceiptStillCounts() {
        String body = "{\"status\": \"success\", \"requestId\": \"r\", \"code\": \"zero\", \"sendTime\": \"01/05/2024\"}";
        deliver(body).then().statusCode(200);
        assertThat(rows.one("select valid, status, code, sent_at, unreadable, raw_body from receipts"))
                .containsEntry("valid", true).containsEntry("status", "success").containsEntry("code", null)
                .containsEntry("sent_at", null).containsEntry("raw_body", body)
                .hasEntrySatisfying("unreadable", unreadable -> assertThat(unreadable.toString())
                        .contains("code must be an integer").contains("sendTime"));
    }

    /**
     * What identifies a receipt, at its column's bound, is kept; one past it is a 400 with the receipt kept raw:
     * before, the insert failed (22001), so did the fallback, and NXCloud got a 500 and sent it forever.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "requestId|{\"status\": \"success\", \"requestId\": \"%s\"}|128",
            "journeyId|{\"status\": \"journey_acknowledged\", \"journeyId\": \"%s\"}|128" })
    void everyIdentifyingFieldIsHeldToItsColumn(String field, String template, int longest) {
        deliver(template.formatted("a".repeat(longest))).then().statusCode(200);
        deliver(template.formatted("b".repeat(longest + 1))).then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.hasItem(field));
        assertThat(rows.count("receipts where valid")).isEqualTo(1);
        assertThat(rows.one("select raw_body from receipts where not valid"))
                .containsEntry("raw_body", template.formatted("b".repeat(longest + 1)));
    }

    /** Optional fields past their column are left unknown and named; the receipt is kept valid, never a failed insert. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "oaId|oa_id|{\"status\": \"success\", \"requestId\": \"r\", \"oaId\": \"%s\"}|32",
            "appId|app_id|{\"status\": \"success\", \"requestId\": \"r\", \"appId\": \"%s\"}|32",
            "cost.currency|cost_currency|{\"status\": \"success\", \"requestId\": \"r\", \"cost\": {\"currency\": \"%s\", \"originalPrice\": 1}}|8",
            "zaloRes.data.msg_id|zalo_msg_id|{\"status\": \"success\", \"requestId\": \"r\", \"zaloRes\": {\"data\": {\"msg_id\": \"%s\"}}}|128" })
    void everyOptionalFieldIsHeldToItsColumn(String field, String column, String template, int longest) {
        deliver(template.formatted("a".repeat(longest))).then().statusCode(200);
        deliver(template.formatted("b".repeat(longest + 1))).then().statusCode(200);
        assertThat(rows.count("receipts where valid")).isEqualTo(2);
        assertThat(rows.one("select " + column + ", unreadable from receipts where raw_body like '%bbb%'"))
                .containsEntry(column, null)
                .hasEntrySatisfying("unreadable", unreadable -> assertThat(unreadable.toString()).startsWith(field + " "));
    }

    @ParameterizedTest
    @CsvSource({ "99999999999999.999999, true", "-99999999999999.999999, true", "1e-6, true", "100000000000000, false",
            "99999999999999.9999999, false", "1e999999999, false", "1e-999999999, false" })
    void aCostIsHeldToNumeric20And6(String price, boolean kept) {
        deliver("{\"status\": \"success\", \"requestId\": \"r\", \"cost\": {\"currency\": \"USD\", \"originalPrice\": "
                + price + "}}").then().statusCode(200);
        assertThat(rows.count("receipts where valid and cost_amount is " + (kept ? "not null" : "null"))).isEqualTo(1);
        assertThat(rows.count("receipts where valid and unreadable like 'cost.originalPrice%'")).isEqualTo(kept ? 0 : 1);
    }

    @Test
    void aNumberBeyondAnyDecimalIsAnUnreadableBody() {
        deliver("{\"status\": \"success\", \"requestId\": \"r\", \"cost\": {\"originalPrice\": 99e9999999999}}")
                .then().statusCode(400);
        assertThat(rows.count("receipts where not valid")).isEqualTo(1);
    }

    @Test
    void aNulCharacterIsKeptOutOfTheColumnsAndTheRawBodyStillKept() {
        String escaped = "{\"status\": \"success\", \"requestId\": \"r\", \"ext\": \"a\\u0000b\"}";
        deliver(escaped).then().statusCode(200);
        assertThat(rows.one("select ext, unreadable, raw_body from receipts")).containsEntry("ext", null)
                .containsEntry("raw_body", escaped)
                .hasEntrySatisfying("unreadable", unreadable -> assertThat(unreadable.toString()).startsWith("ext "));
        // A raw U+0000 is no JSON at all.
        deliver("{\"status\": \"success\", \"requestId\": \"r\u0000\"}").then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.hasItem("body"));
        assertThat(rows.count("receipts where not valid")).isEqualTo(1);
    }

    @Test
    void hostileBodiesAreRefusedCleanly() {
        deliver("{\"status\": \"success\", \"requestId\": \"r\", \"ext\": " + "[".repeat(3000) + "]".repeat(3000) + "}")
                .then().statusCode(400);
        deliver("{\"status\": \"success\", \"requestId\": \"ünïcødé-👍\", \"message\": \"" + "x".repeat(50_000) + "\"}")
                .then().statusCode(200);
        deliver("{\"status\": \"success\", \"requestId\": \"r\", \"message\": \"" + "x".repeat(70_000) + "\"}")
                .then().statusCode(413).contentType("application/problem+json");
        assertThat(rows.count("receipts where request_id = 'ünïcødé-👍'")).isEqualTo(1);
        assertThat(rows.count("receipts where not valid")).isEqualTo(1);
    }
}
