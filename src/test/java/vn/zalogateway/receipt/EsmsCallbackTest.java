package vn.zalogateway.receipt;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import java.time.Duration;
import java.util.List;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.vertx.core.Vertx;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.RawHttp;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.Seeds;
import vn.zalogateway.support.TestKeys;

/** eSMS's GET callback, and the quota and cost reports receipts feed. */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class EsmsCallbackTest {

    static final String CALLBACK = "/v1/webhooks/esms/test-esms-secret";
    static final String MESSAGE_ID = "0190a0a0-0000-7000-8000-00000000aaaa";
    static final String SMS_ID = "d8e0f1f0702544b2acb456ca9ccfd111250";

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Reconciler reconciler;

    @Inject
    Vertx vertx;

    @InjectEsms
    WireMockServer esms;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("receipts", "charges", "oa_quotas", "messages", "journeys", "idempotency_keys", "leases");
        esms.resetAll();
        rows.submittedMessage(MESSAGE_ID, SMS_ID);
    }

    String status() {
        return (String) rows.one("select status from messages where id = ?::uuid", MESSAGE_ID).get("status");
    }

    @Test
    void aFinishedSendWithASuccessMovesTheMessageToSent() {
        String errorInfo = "{\"data\":{\"message_id\":\"m1\",\"user_id\":\"5830123456789\"},\"error\":0,\"message\":\"Success\"}";
        given().queryParam("SMSID", SMS_ID).queryParam("SendStatus", "5").queryParam("SendSuccess", "1")
                .queryParam("SendFailed", "0").queryParam("TotalPrice", "300").queryParam("TypeId", "26")
                .queryParam("error_info", errorInfo)
                .get(CALLBACK).then().statusCode(200);

        assertThat(status()).isEqualTo("SENT");
        assertThat(rows.one("select provider, status, code, message, cost_currency, raw_body from receipts"))
                .containsEntry("provider", "esms").containsEntry("status", "success").containsEntry("code", 5)
                .containsEntry("message", "Success").containsEntry("cost_currency", "VND");
    }

    @Test
    void aDoublyEncodedErrorInfoIsRead() {
        String once = URLEncoder.encode("{\"error\":-118,\"message\":\"Zalo account not existed\"}", StandardCharsets.UTF_8);
        given().urlEncodingEnabled(true).queryParam("SMSID", SMS_ID).queryParam("SendStatus", "4")
                .queryParam("error_info", once)
                .get(CALLBACK).then().statusCode(200);

        assertThat(status()).isEqualTo("FAILED");
        TestKeys.consumer().get("/v1/messages/" + MESSAGE_ID).then()
                .body("error.message", equalTo("Zalo account not existed"))
                .body("receipts", hasSize(1));
    }

    @ParameterizedTest
    @CsvSource({ "1, SUBMITTED", "2, SUBMITTED", "7, SUBMITTED", "4, FAILED" })
    void intermediateStatesAreRecordedWithoutAMove(String sendStatus, String expected) {
        given().queryParam("SMSID", SMS_ID).queryParam("SendStatus", sendStatus).get(CALLBACK).then().statusCode(200);
        assertThat(status()).isEqualTo(expected);
        assertThat(rows.count("receipts where applied_at is not null")).isEqualTo(1);
    }

    /** Encoding a stranger got wrong is their mistake: 400, never a 500, in the query or in a form. */
    @Test
    void aMalformedEncodingIsRefusedWithA400() {
        assertThat(RawHttp.status("GET " + CALLBACK + "?SMSID=%zz&SendStatus=5 HTTP/1.1\r\n", "")).isEqualTo(400);
        assertThat(RawHttp.status("GET " + CALLBACK + "?SMSID=%&SendStatus=5 HTTP/1.1\r\n", "")).isEqualTo(400);
        for (String body : List.of("SMSID=%zz&SendStatus=5", "SMSID=%E0%A4%A&SendStatus=5", "SMSID=%")) {
            assertThat(RawHttp.status("POST " + CALLBACK + " HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                    + "Content-Length: " + body.length() + "\r\n", body)).as(body).isEqualTo(400);
        }
        assertThat(rows.count("receipts where not valid")).as("each broken form kept for inspection").isEqualTo(3);
        assertThat(status()).isEqualTo("SUBMITTED");
    }

    @Test
    void aFormPostIsTheSameReceiptAndRepeatsAreStoredOnce() {
        given().formParam("SMSID", SMS_ID).formParam("SendStatus", "5").formParam("SendSuccess", "1").post(CALLBACK)
                .then().statusCode(200);
        given().queryParam("SMSID", SMS_ID).queryParam("SendStatus", "5").queryParam("SendSuccess", "1").get(CALLBACK)
                .then().statusCode(200);
        assertThat(rows.count("receipts")).isEqualTo(1);
        assertThat(status()).isEqualTo("SENT");
    }

    @Test
    void badCallbacksAre400AndKeptAndAWrongSecretStoresNothing() {
        given().queryParam("SendStatus", "5").get(CALLBACK).then().statusCode(400)
                .body("violations[0].field", equalTo("SMSID"));
        given().queryParam("SMSID", SMS_ID).queryParam("SendStatus", "9").get(CALLBACK).then().statusCode(400);
        assertThat(rows.count("receipts where not valid")).isEqualTo(2);
        given().queryParam("SMSID", SMS_ID).queryParam("SendStatus", "5").get("/v1/webhooks/esms/nope")
                .then().statusCode(401);
        assertThat(rows.count("receipts")).isEqualTo(2);
    }

    @Test
    void everyFieldIsHeldToItsColumn() {
        given().queryParam("SMSID", "s".repeat(128)).queryParam("SendStatus", "5").queryParam("SendSuccess", "1")
                .queryParam("oaid", "1".repeat(32)).queryParam("TotalPrice", "99999999999999.999999").get(CALLBACK)
                .then().statusCode(200);
        given().queryParam("SMSID", "s".repeat(129)).queryParam("SendStatus", "5").get(CALLBACK)
                .then().statusCode(400).body("violations.field", org.hamcrest.Matchers.hasItem("SMSID"));
        given().queryParam("SMSID", SMS_ID).queryParam("SendStatus", "5").queryParam("oaid", "1".repeat(33)).get(CALLBACK)
                .then().statusCode(400).body("violations.field", org.hamcrest.Matchers.hasItem("oaid"));
        given().queryParam("SMSID", SMS_ID).queryParam("SendStatus", "5").queryParam("TotalPrice", "1e15").get(CALLBACK)
                .then().statusCode(400).body("violations.field", org.hamcrest.Matchers.hasItem("TotalPrice"));
        given().queryParam("SMSID", SMS_ID + "\u0000").queryParam("SendStatus", "5").get(CALLBACK)
                .then().statusCode(400).body("violations.field", org.hamcrest.Matchers.hasItem("SMSID"));
        assertThat(rows.count("receipts where valid")).isEqualTo(1);
        assertThat(rows.count("receipts where not valid")).isEqualTo(4);
    }

    @Test
    void callbacksThatNeverCameArePulledBackWithGetCallback() throws Exception {
        rows.update("update messages set submitted_at = now() - interval '1 hour', next_look_at = now() - interval '50 minutes' "
                + "where id = ?::uuid", MESSAGE_ID);
        rows.submittedMessage("0190a0a0-0000-7000-8000-00000000bbbb", "just-sent");
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_CALLBACK)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"Code": 100, "Message": "Success", "Data_callback": [
                          {"SMSID": "%s", "SendFailed": 1, "SendSuccess": 0, "SendStatus": 5, "TotalPrice": 0.0,
                           "TotalReceiver": 1, "TotalSent": 1, "RequestId": null, "TypeId": 26,
                           "ErrorInfo": "{\\"error\\":-124,\\"message\\":\\"Access token is invalid\\"}Object reference not set",
                           "OAId": "3041812345605770721"}]}""".formatted(SMS_ID))));

        int found = FreshContext.run(vertx, reconciler::reconcile).await().atMost(Duration.ofSeconds(10));

        assertThat(found).isEqualTo(1);
        esms.verify(1, postRequestedFor(urlEqualTo(EsmsStub.GET_CALLBACK)).withRequestBody(equalToJson("""
                {"ApiKey": "%s", "SecretKey": "%s", "OAId": "3041812345605770721", "ListRefid": ["%s"]}"""
                .formatted(EsmsStub.API_KEY, EsmsStub.SECRET_KEY, SMS_ID))));
        assertThat(status()).isEqualTo("FAILED");
        TestKeys.consumer().get("/v1/messages/" + MESSAGE_ID).then().body("error.message", equalTo("Access token is invalid"));

        FreshContext.run(vertx, reconciler::reconcile).await().atMost(Duration.ofSeconds(10));
        esms.verify(1, postRequestedFor(urlEqualTo(EsmsStub.GET_CALLBACK)));
    }

    static final String NO_CALLBACKS = "{\"Code\": 100, \"Message\": \"Success\", \"Data_callback\": []}";

    int reconcile() {
        return FreshContext.run(vertx, reconciler::reconcile).await().atMost(Duration.ofSeconds(20));
    }

    /** Each message on its own schedule, pushed back at every look; a failing call stalls no other OA. */
    @Test
    void eachMessageIsLookedUpOnItsScheduleAndAFailedCallStallsNothing() {
        rows.update("update messages set next_look_at = now() - interval '1 second' where id = ?::uuid", MESSAGE_ID);
        rows.submittedMessage("0190a0a0-0000-7000-8000-00000000cccc", "other-oa-sms");
        rows.update("update messages set oa_id = 42, next_look_at = now() - interval '1 second' "
                + "where id = '0190a0a0-0000-7000-8000-00000000cccc'");
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_CALLBACK)).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
                .containing("\"OAId\":\"42\"")).willReturn(aResponse().withStatus(500)));
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_CALLBACK)).withRequestBody(com.github.tomakehurst.wiremock.client.WireMock
                .containing("\"OAId\":\"3041812345605770721\"")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("""
                        {"Code": 100, "Message": "Success", "Data_callback": [{"SMSID": "%s", "SendStatus": 5, "SendSuccess": 1,
                         "SendFailed": 0, "RequestId": "%s", "OAId": "3041812345605770721"}]}""".formatted(SMS_ID, MESSAGE_ID))));

        assertThat(reconcile()).isEqualTo(1);

        assertThat(status()).as("the other OA's failed call did not cost this one").isEqualTo("SENT");
        assertThat(rows.one("select looks, next_look_at > now() + interval '15 minutes' as later from messages "
                + "where id = '0190a0a0-0000-7000-8000-00000000cccc'")).containsEntry("looks", 1).containsEntry("later", true);
        assertThat(reconcile()).as("nothing is due again yet").isZero();
        esms.verify(2, postRequestedFor(urlEqualTo(EsmsStub.GET_CALLBACK)));
    }

    /**
     * No receipt within the wait, none when asked a last time: UNCONFIRMED (the wait decides it, the last look only
     * asks); a message with no SMSID to ask with (a 124 no callback named) too; a receipt after that still moves it.
     */
    @Test
    void aMessageNoReceiptReachesBecomesUnconfirmedAndALateSentAddsNothing() {
        rows.update("update messages set submitted_at = now() - interval '73 hours', looks = 4, next_look_at = now() "
                + "where id = ?::uuid", MESSAGE_ID);
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, zalo_status, "
                + "created_at, updated_at, submitted_at, looks, next_look_at) values ('00000000-0000-7000-8000-000000000001', '0190a0a0-0000-7000-8000-00000000dddd', "
                + "3041812345605770721, '5830123456789', 'transaction_order', 'VI', '{}', 'SUBMITTED', 'SUBMITTED', now(), "
                + "now(), now() - interval '73 hours', 4, now())");
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_CALLBACK)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(NO_CALLBACKS)));

        reconcile();
        esms.verify(1, postRequestedFor(urlEqualTo(EsmsStub.GET_CALLBACK)));
        assertThat(status()).as("asking is not deciding").isEqualTo("SUBMITTED");

        assertThat(waitForReceipts()).isEqualTo(2);
        assertThat(status()).isEqualTo("UNCONFIRMED");
        assertThat(rows.one("select status from messages where id = '0190a0a0-0000-7000-8000-00000000dddd'"))
                .as("no SMSID to ask with (a 124 no callback named)").containsEntry("status", "UNCONFIRMED");
        TestKeys.consumer().get("/v1/messages?status=UNCONFIRMED").then().statusCode(200).body("items", hasSize(2));
        assertThat(rows.one("select looks, next_look_at from messages where id = ?::uuid", MESSAGE_ID))
                .as("the last look was the last").containsEntry("looks", 5).containsEntry("next_look_at", null);

        given().queryParam("SMSID", SMS_ID).queryParam("SendStatus", "5").queryParam("SendSuccess", "1").get(CALLBACK)
                .then().statusCode(200);
        assertThat(status()).as("not a final report: still none within the wait").isEqualTo("UNCONFIRMED");
    }

    @Inject
    vn.zalogateway.message.ReceiptWait receiptWait;

    int waitForReceipts() {
        return FreshContext.run(vertx, receiptWait::run).await().atMost(Duration.ofSeconds(10));
    }

    /**
     * eSMS keeps no sandbox messages, and only NXCloud reports journey messages: nobody is asked about them (even
     * with a look scheduled by an older version); once the wait is over with no receipt they are UNCONFIRMED.
     */
    @Test
    void sandboxAndJourneyMessagesAreNeverLookedUp() {
        rows.update("update messages set sandbox = true, submitted_at = now() - interval '73 hours', "
                + "next_look_at = now() - interval '1 second' where id = ?::uuid", MESSAGE_ID);
        rows.update("insert into journeys (consumer_id, id, oa_id, phone, token_type, status, journey_id, created_at, updated_at) values "
                + "('00000000-0000-7000-8000-000000000001', '0190a0a0-0000-7000-8000-0000000000e1', 3041812345605770721, '84912345678', 'token_logistics_7', 'NEW', "
                + "'126052', now(), now())");
        rows.update("insert into messages (consumer_id, id, kind, oa_id, phone, template_id, template_data, journey_ref, status, zalo_status, "
                + "created_at, updated_at, submitted_at, provider_message_id, next_look_at) values ('00000000-0000-7000-8000-000000000001', '0190a0a0-0000-7000-8000-00000000eeee', "
                + "'zns_journey', 3041812345605770721, '84912345678', 231456, '{}', '0190a0a0-0000-7000-8000-0000000000e1', "
                + "'SUBMITTED', 'SUBMITTED', now(), now(), now() - interval '73 hours', 'msg-e', now() - interval '1 second')");
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_CALLBACK)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(NO_CALLBACKS)));

        reconcile();
        esms.verify(0, postRequestedFor(urlEqualTo(EsmsStub.GET_CALLBACK)));

        waitForReceipts();
        assertThat(status()).isEqualTo("UNCONFIRMED");
        assertThat(rows.one("select status from messages where id = '0190a0a0-0000-7000-8000-00000000eeee'"))
                .containsEntry("status", "UNCONFIRMED");
    }

    /**
     * One replica at a time reconciles: a lease another holds keeps this one from calling eSMS at all;
     * the holder spaces its calls by the rate (10 a second by default, half of eSMS's limit).
     */
    @Test
    void oneReplicaAtATimeReconcilesAndSpacesItsCalls() {
        java.util.UUID otherReplica = java.util.UUID.randomUUID();
        assertThat(leases.hold(Reconciler.JOB, otherReplica, Duration.ofMinutes(1)).await().atMost(Duration.ofSeconds(5))).isTrue();
        rows.update("update messages set next_look_at = now() - interval '1 second'");
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_CALLBACK)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(NO_CALLBACKS)));

        assertThat(reconcile()).isZero();
        esms.verify(0, postRequestedFor(urlEqualTo(EsmsStub.GET_CALLBACK)));

        rows.update("update leases set lease_until = now() - interval '1 second'");
        for (long oa = 1; oa <= 4; oa++) {
            rows.submittedMessage("0190a0a0-0000-7000-8000-00000000000" + oa, "sms-" + oa);
            rows.update("update messages set oa_id = ?, next_look_at = now() - interval '1 second' where provider_message_id = ?",
                    oa, "sms-" + oa);
        }
        reconcile();

        List<com.github.tomakehurst.wiremock.verification.LoggedRequest> calls = esms.findAll(postRequestedFor(urlEqualTo(EsmsStub.GET_CALLBACK)));
        assertThat(calls).hasSize(5);
        for (int i = 1; i < calls.size(); i++) {
            assertThat(calls.get(i).getLoggedDate().getTime() - calls.get(i - 1).getLoggedDate().getTime())
                    .as("ms between calls %d and %d", i - 1, i).isGreaterThanOrEqualTo(90);
        }
        assertThat(leases.hold(Reconciler.JOB, otherReplica, Duration.ofMinutes(1)).await().atMost(Duration.ofSeconds(5)))
                .as("the lease is this replica's now").isFalse();
    }

    @Inject
    vn.zalogateway.common.lease.Leases leases;

    @Test
    void quotaAndCostsComeFromReceipts() {
        rows.update("update messages set provider_message_id = ? where id = ?::uuid",
                "zalomid.a941ccf8dd374dafxxxxxxacbe7a6ea5", MESSAGE_ID);
        given().contentType("application/json").body(Seeds.nxcloud("success"))
                .post("/v1/webhooks/nxcloud/test-nxcloud-secret").then().statusCode(200);
        // delivered repeats the charge of the same message: it must count once
        given().contentType("application/json").body(Seeds.nxcloud("delivered")
                .replace("\"ext\": \"ext info\"", "\"ext\": \"ext info\", \"cost\": {\"currency\": \"USD\", \"originalPrice\": 4.1234}"))
                .post("/v1/webhooks/nxcloud/test-nxcloud-secret").then().statusCode(200);

        TestKeys.consumer().get("/v1/oas/3041812345605770721/quota").then().statusCode(200)
                .body("oa_id", equalTo("3041812345605770721"))
                .body("remaining_quota", equalTo(4999)).body("daily_quota", equalTo(5000));
        TestKeys.consumer().get("/v1/oas/42/quota").then().statusCode(404);
        TestKeys.consumer().queryParam("oa_id", "3041812345605770721").get("/v1/reports/costs").then().statusCode(200)
                .body("totals", hasSize(1))
                .body("totals[0].currency", equalTo("USD"))
                .body("totals[0].amount", equalTo(4.1234f))
                .body("totals[0].charges", equalTo(1));
        TestKeys.consumer().queryParam("to", "2020-01-01 00:00:00").get("/v1/reports/costs").then().body("totals", hasSize(0));
        TestKeys.consumer().queryParam("from", "soon").get("/v1/reports/costs").then().statusCode(400)
                .body("violations[0].field", equalTo("from"));
        given().get("/v1/reports/costs").then().statusCode(401);
    }
}
