package vn.zalogateway.message;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static vn.zalogateway.support.Messages.awaitStatus;
import static vn.zalogateway.support.Messages.inVietnam;
import static vn.zalogateway.support.Messages.journeyMessage;
import static vn.zalogateway.support.Messages.nextMessage;
import static vn.zalogateway.support.Messages.send;
import static vn.zalogateway.support.StubAnswers.json;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/**
 * ZNS journey messages (contract v1.2) against eTelecom over real HTTP: the token first, then
 * SendZNSJourney with it, in one pipeline; one token for all messages of a journey; receipts by msg_id.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
public class JourneyMessageTest {

    static final String OA_ID = Messages.OA_ID;
    static final String PROVIDER_JOURNEY_ID = "1260521234558967296";
    static final String WEBHOOK = "/v1/webhooks/nxcloud/test-nxcloud-secret";
    static final ObjectMapper JSON = new ObjectMapper();

    @InjectWireMock
    WireMockServer etelecom;

    @InjectEsms
    WireMockServer esms;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @Inject
    ReceiptWait receiptWait;

    @Inject
    io.vertx.core.Vertx vertx;

    @Inject
    MeterRegistry meters;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("receipts", "charges", "oa_quotas", "messages", "journeys", "idempotency_keys");
        etelecom.resetAll();
        esms.resetAll();
        circuitBreakers.resetAll();
    }


    void etelecomCreatesAndSends() {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(json(EtelecomStub.CREATED_JOURNEY)));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY))
                .willReturn(json(EtelecomStub.SENT_ZNS_JOURNEY).withTransformers("response-template")));
    }

    List<LoggedRequest> sends() {
        return etelecom.findAll(postRequestedFor(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY)));
    }

    @Test
    void theTokenIsCreatedFirstThenEtelecomGetsExactlyTheDocumentedSend() throws Exception {
        etelecomCreatesAndSends();

        String id = given().auth().oauth2(TestKeys.KEY).contentType(ContentType.JSON).body(journeyMessage().toString())
                .post("/v1/messages").then().statusCode(202)
                .header("Location", containsString("/v1/messages/"))
                .body("kind", org.hamcrest.Matchers.equalTo("zns_journey"))
                .body("phone", org.hamcrest.Matchers.equalTo("84912345678"))
                .body("template_id", org.hamcrest.Matchers.equalTo(231456))
                .body("template_data.order_code", org.hamcrest.Matchers.equalTo("DH-001"))
                .body("user_id", org.hamcrest.Matchers.nullValue())
                .extract().path("id");

        Response submitted = awaitStatus(id, "SUBMITTED");
        submitted.then()
                .body("provider_message_id", org.hamcrest.Matchers.equalTo("msg-" + id))
                .body("journey.status", org.hamcrest.Matchers.equalTo("NEW"))
                .body("cost.currency", org.hamcrest.Matchers.equalTo("VND"))
                .body("cost.amount", org.hamcrest.Matchers.equalTo(550.0f))
                .body("cost.fee_main", org.hamcrest.Matchers.equalTo(300.0f))
                .body("cost.fee_token", org.hamcrest.Matchers.equalTo(250.0f));
        etelecom.verify(postRequestedFor(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).withRequestBody(equalToJson(
                "{\"oa_id\": \"" + OA_ID + "\", \"phone\": \"84912345678\", \"token_type\": \"token_logistics_7\"}")));
        LoggedRequest sent = sends().stream().filter(request -> request.getBodyAsString().contains(id)).findFirst().orElseThrow();
        assertThat(sent.getHeader("Authorization")).isEqualTo("Bearer " + EtelecomStub.API_KEY);
        assertThat(sent.getHeader("Content-Type")).startsWith("application/json");
        assertThat(JSON.readTree(sent.getBodyAsString())).isEqualTo(JSON.readTree("""
                {"oa_id": "%s", "journey_id": "%s", "phone": "84912345678", "template_id": 231456,
                 "template_data": {"order_code": "DH-001", "status": "Đang giao", "weight_kg": 2.5}, "tracking_id": "%s"}"""
                .formatted(OA_ID, PROVIDER_JOURNEY_ID, id)));
        LoggedRequest created = etelecom.findAll(postRequestedFor(urlEqualTo(EtelecomStub.CREATE_JOURNEY))).get(0);
        assertThat(created.getLoggedDate()).isBeforeOrEqualTo(sent.getLoggedDate());
        // Its ZNS template may be asked of eSMS (GetZnsTemplateInfo, the stubs describe none): the message itself never goes.
        assertThat(esms.getAllServeEvents()).as("a journey message never goes to eSMS")
                .allSatisfy(event -> assertThat(event.getRequest().getUrl()).contains("/GetZnsTemplateInfo"));
    }

    @Test
    void oneTokenCarriesThreeMessagesOfAJourney() {
        etelecomCreatesAndSends();
        String pickedUp = send(journeyMessage());
        String journey = awaitStatus(pickedUp, "SUBMITTED").path("journey.id");

        String inTransit = send(nextMessage(journey, "Đang vận chuyển"));
        String delivered = send(nextMessage(journey, "Đã giao"));
        awaitStatus(inTransit, "SUBMITTED").then().body("journey.id", org.hamcrest.Matchers.equalTo(journey));
        awaitStatus(delivered, "SUBMITTED");

        etelecom.verify(1, postRequestedFor(urlEqualTo(EtelecomStub.CREATE_JOURNEY)));
        etelecom.verify(3, postRequestedFor(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY))
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.journey_id",
                        equalTo(PROVIDER_JOURNEY_ID))));
        TestKeys.consumer().get("/v1/journeys/" + journey).then().statusCode(200)
                .body("messages", hasSize(3))
                .body("messages.id", org.hamcrest.Matchers.contains(pickedUp, inTransit, delivered))
                .body("messages.kind", hasItems("zns_journey"))
                .body("messages[1].provider_message_id", org.hamcrest.Matchers.equalTo("msg-" + inTransit));
        assertThat(rows.count("journeys")).isEqualTo(1);
    }

    /** A journey created through the API for the OA and phone; its expiry moved to {@code interval} from now. */
    String journeyExpiringIn(String interval) {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(json(EtelecomStub.CREATED_JOURNEY)));
        String journey = TestKeys.consumer().body(EtelecomStub.journeyRequest(OA_ID, "0912345678", null))
                .post("/v1/journeys").then().statusCode(201).extract().path("id");
        rows.update("update journeys set expires_at = now() + ?::interval where id = ?::uuid", interval, journey);
        return journey;
    }

    void refused(ObjectNode body, int status, String type, String words) {
        TestKeys.consumer().body(body.toString()).post("/v1/messages").then().statusCode(status)
                .contentType("application/problem+json")
                .body("type", org.hamcrest.Matchers.equalTo("urn:zalo-gateway:problem:" + type))
                .body("violations[0].field", org.hamcrest.Matchers.equalTo("journey_id"))
                .body("violations[0].message", containsString(words));
    }

    @Test
    void aJourneyThatCannotCarryTheMessageIsRefusedAndNothingIsStoredOrSent() {
        etelecomCreatesAndSends();
        String journey = journeyExpiringIn("1 hour");

        ObjectNode otherPhone = nextMessage(journey, "x");
        otherPhone.put("phone", "0987654321");
        refused(otherPhone, 422, "journey-unusable", "another phone");
        ObjectNode otherOa = nextMessage(journey, "x");
        otherOa.put("oa_id", "1234");
        refused(otherOa, 422, "journey-unusable", "another OA");
        ObjectNode pastExpiry = nextMessage(journey, "x");
        pastExpiry.put("send_at", inVietnam(Duration.ofHours(2)));
        refused(pastExpiry, 422, "journey-expired", "expired");
        refused(nextMessage("0190a0a0-0000-7000-8000-0000000000ff", "x"), 400, "validation", "no journey");

        rows.update("update journeys set status = 'DISABLED' where id = ?::uuid", journey);
        refused(nextMessage(journey, "x"), 422, "journey-unusable", "DISABLED");
        rows.update("update journeys set status = 'TIMED_OUT' where id = ?::uuid", journey);
        refused(nextMessage(journey, "x"), 422, "journey-unusable", "timed out");
        rows.update("update journeys set status = 'ACKNOWLEDGED', expires_at = now() - interval '1 second' where id = ?::uuid",
                journey);
        refused(nextMessage(journey, "x"), 422, "journey-expired", "expired");

        assertThat(rows.count("messages")).isZero();
        assertThat(sends()).isEmpty();
    }

    @Test
    void everyViolationOfAJourneyMessageIsListedAtOnce() {
        ObjectNode body = journeyMessage();
        body.put("phone", "12345").put("template_id", -3).put("user_id", "5830123456789").put("sandbox", true);
        ((ObjectNode) body.get("template_data")).putObject("nested");
        body.put("journey_id", "not-a-uuid");
        TestKeys.consumer().body(body.toString()).post("/v1/messages").then().statusCode(400)
                .body("violations.field", hasItems("phone", "template_id", "template_data.nested", "user_id", "sandbox",
                        "journey"));
        body = journeyMessage();
        body.remove("journey");
        body.remove("template_data");
        TestKeys.consumer().body(body.toString()).post("/v1/messages").then().statusCode(400)
                .body("violations.field", hasItems("template_data", "journey_id"));
        TestKeys.consumer().body(journeyMessage().put("kind", "sms").toString()).post("/v1/messages").then().statusCode(400)
                .body("violations[0].field", org.hamcrest.Matchers.equalTo("kind"));
        assertThat(rows.count("messages")).isZero();
    }

    @Test
    void aSendEtelecomRefusesFailsTheMessageWithTheProvidersCodeAndIsNotRetried() {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(json(EtelecomStub.CREATED_JOURNEY)));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY)).willReturn(json(
                "{\"error_code\": 1, \"error_message\": \"Template chưa được duyệt\", \"is_charged\": false}")));

        awaitStatus(send(journeyMessage()), "FAILED").then()
                .body("error.code", org.hamcrest.Matchers.equalTo("1"))
                .body("error.message", org.hamcrest.Matchers.equalTo("Template chưa được duyệt"))
                .body("journey.status", org.hamcrest.Matchers.equalTo("NEW"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(1300)).untilAsserted(() -> assertThat(sends()).hasSize(1));
    }

    /**
     * A dispatcher that called SendZNSJourney and never wrote the outcome (killed, or PostgreSQL gone when it wrote)
     * leaves its mark; the claim after its lease must not call eTelecom again (found by the soak, issue 35: a journey
     * message sent twice under one tracking_id after a lost outcome write). The mark is written before the call.
     */
    @Test
    void aSendWhoseOutcomeWasNeverWrittenIsNotSentAgainAfterItsLease() {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(json(EtelecomStub.CREATED_JOURNEY)));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY)).willReturn(json(EtelecomStub.SENT_ZNS_JOURNEY)
                .withTransformers("response-template").withFixedDelay(800)));
        String slow = send(journeyMessage());
        // While the call is out, the mark is there.
        await().atMost(Messages.PATIENCE).untilAsserted(() -> assertThat(sends()).hasSize(1));
        assertThat(rows.one("select error_code from messages where id = ?::uuid", slow)).containsEntry("error_code", "send_started");
        awaitStatus(slow, "SUBMITTED");

        // What a dead dispatcher leaves: claimed, marked, no outcome, the lease run out.
        String orphan = send(journeyMessage().put("send_at", inVietnam(Duration.ofHours(1))));
        rows.update("update messages set status = 'ACCEPTED', due_at = now(), attempts = 1, claim = gen_random_uuid(), "
                + "lease_until = now() - interval '1 second', error_code = 'send_started' where id = ?::uuid", orphan);
        awaitStatus(orphan, "SUBMITTED").then()
                .body("provider_message_id", org.hamcrest.Matchers.nullValue())
                .body("error.code", org.hamcrest.Matchers.equalTo("send_outcome_unknown"))
                .body("error.message", containsString("not sent again"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(sends()).as("the orphan is never sent: only the first message's call").hasSize(1));
    }

    /**
     * eTelecom documents no dropping of a repeated tracking_id: a send that may have reached it (here a stand-in that
     * takes the request and never answers, then a 503) is never sent again. The message waits SUBMITTED, saying why,
     * with no reference; past the wait it is UNCONFIRMED.
     */
    @Test
    void aSendThatMayHaveReachedEtelecomIsNeverSentAgain() {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(json(EtelecomStub.CREATED_JOURNEY)));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY)).willReturn(json(EtelecomStub.SENT_ZNS_JOURNEY)
                .withTransformers("response-template").withFixedDelay(8_000)));

        String silent = send(journeyMessage());
        awaitStatus(silent, "SUBMITTED").then()
                .body("provider_message_id", org.hamcrest.Matchers.nullValue())
                .body("error.code", org.hamcrest.Matchers.equalTo("send_outcome_unknown"))
                .body("error.message", containsString("not sent again"));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4))
                .untilAsserted(() -> assertThat(sends()).as("one send, never a second").hasSize(1));

        etelecom.resetAll();
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY)).willReturn(aResponse().withStatus(503)));
        String failedServer = send(nextMessage(awaitStatus(silent, "SUBMITTED").path("journey.id"), "y"));
        awaitStatus(failedServer, "SUBMITTED").then().body("error.code", org.hamcrest.Matchers.equalTo("send_outcome_unknown"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(sends()).as("a 5xx is eTelecom's own answer: maybe sent").hasSize(1));
        etelecom.verify(0, postRequestedFor(urlEqualTo(EtelecomStub.CREATE_JOURNEY)));

        rows.update("update messages set submitted_at = now() - interval '73 hours' where id in (?::uuid, ?::uuid)", silent, failedServer);
        FreshContext.run(vertx, receiptWait::run).await().atMost(Duration.ofSeconds(10));
        awaitStatus(silent, "UNCONFIRMED");
        awaitStatus(failedServer, "UNCONFIRMED");
    }

    @Test
    void aRefusedTokenFailsTheMessageAndNothingIsSent() {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(json(
                "{\"error_code\": 7, \"error_message\": \"Số điện thoại chưa đăng ký Zalo\"}")));

        awaitStatus(send(journeyMessage()), "FAILED").then()
                .body("error.code", org.hamcrest.Matchers.equalTo("journey_refused"))
                .body("error.message", containsString("Số điện thoại chưa đăng ký Zalo"))
                .body("journey.status", org.hamcrest.Matchers.equalTo("FAILED"));
        await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(1300)).untilAsserted(() -> assertThat(sends()).isEmpty());
    }

    /**
     * A token step that may have made a token (eTelecom's own 500) makes no second one: a second token, once used,
     * would be charged again. The message fails unsent, saying why, and its journey shows the failed attempt.
     */
    @Test
    void aTokenStepThatMayHaveMadeATokenMakesNoSecondOneAndSendsNothing() {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(500)));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY))
                .willReturn(json(EtelecomStub.SENT_ZNS_JOURNEY).withTransformers("response-template")));

        awaitStatus(send(journeyMessage()), "FAILED").then()
                .body("error.code", org.hamcrest.Matchers.equalTo("journey_outcome_unknown"))
                .body("journey.status", org.hamcrest.Matchers.equalTo("FAILED"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            etelecom.verify(1, postRequestedFor(urlEqualTo(EtelecomStub.CREATE_JOURNEY)));
            assertThat(sends()).isEmpty();
        });
    }

    /**
     * What a gateway stopped in the middle of a message's token step leaves (issue 31): the message claimed, its lease
     * run out, no journey linked to it, and its journey attempt under the message's own key as the step left it
     * ({@code journeyLeft}, SQL). Made by a real CreateJourney (answered 500), the rows then put back as a crash before
     * the link would have left them: the one CreateJourney eTelecom saw is that crashed step's.
     */
    String tokenStepCutShort(String journeyLeft) {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(500)));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY))
                .willReturn(json(EtelecomStub.SENT_ZNS_JOURNEY).withTransformers("response-template")));
        String id = send(journeyMessage());
        awaitStatus(id, "FAILED");
        rows.update("update journeys set " + journeyLeft + " where id = (select journey_ref from messages where id = ?::uuid)", id);
        rows.update("update messages set status = 'ACCEPTED', zalo_status = null, channel = null, journey_ref = null, "
                + "error_code = null, error_message = null, error_class = null, attempts = 1, due_at = now(), "
                + "claim = gen_random_uuid(), lease_until = now() - interval '1 second' where id = ?::uuid", id);
        return id;
    }

    /** The message failed unsent, linked to the one journey attempt made: no second token, and nothing sent. */
    void endsWithOneTokenStepAndNoSend(String id) {
        String journey = rows.one("select id::text as id from journeys").get("id").toString();
        awaitStatus(id, "FAILED").then()
                .body("error.code", org.hamcrest.Matchers.equalTo("journey_outcome_unknown"))
                .body("error.message", containsString("no second token"))
                .body("journey.id", org.hamcrest.Matchers.equalTo(journey))
                .body("journey.status", org.hamcrest.Matchers.equalTo("FAILED"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            etelecom.verify(1, postRequestedFor(urlEqualTo(EtelecomStub.CREATE_JOURNEY)));
            assertThat(sends()).isEmpty();
        });
        assertThat(rows.count("journeys")).isEqualTo(1);
    }

    /**
     * The crashed claim's token step went out 115 s ago: within its in-flight lease (2 min) it may still be answered,
     * so the message's next claim waits for it, spending no attempt and sending nothing (it was SUBMITTED with
     * send_outcome_unknown though nothing was sent). Past the lease it is given up, never made again.
     */
    @Test
    void aTokenStepInFlightWhenItsMessageIsClaimedAgainIsWaitedForThenNeverMadeAgain() {
        String id = tokenStepCutShort("status = 'PENDING', failure_kind = null, error_code = null, error_message = null, "
                + "provider_answer = null, updated_at = now() - interval '115 seconds'");

        await().atMost(Messages.PATIENCE).untilAsserted(() -> assertThat(rows.one(
                "select status, error_code, attempts, due_at > now() as later from messages where id = ?::uuid", id))
                .as("waited for: no attempt spent, no send of unknown outcome")
                .containsEntry("status", "ACCEPTED").containsEntry("error_code", "retrying").containsEntry("attempts", 1)
                .containsEntry("later", true));
        etelecom.verify(1, postRequestedFor(urlEqualTo(EtelecomStub.CREATE_JOURNEY)));

        endsWithOneTokenStepAndNoSend(id);
        assertThat(rows.one("select status, failure_kind from journeys"))
                .containsEntry("status", "FAILED").containsEntry("failure_kind", "ABANDONED");
    }

    /**
     * A token step that may have reached eTelecom and whose message was never told (the gateway stopped before the
     * link): left PENDING past its lease, or failed with an unknown outcome (a 5xx or unreadable answer, a timeout,
     * given up by the sweeper). The message's next claim makes no second CreateJourney: eTelecom documents no dropping
     * of a repeat, and a second token, once used, is a second charge.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "status = 'PENDING', failure_kind = null, error_code = null, updated_at = now() - interval '3 minutes'",
            "failure_kind = 'UNAVAILABLE'",
            "failure_kind = 'TIMEOUT', error_code = 'upstream_timeout'",
            "failure_kind = 'ABANDONED', error_code = 'abandoned'"})
    void aTokenStepThatMayHaveReachedEtelecomIsNeverMadeAgainAfterACrash(String journeyLeft) {
        endsWithOneTokenStepAndNoSend(tokenStepCutShort(journeyLeft));
    }

    /** Only a token step that certainly never left (the connection refused) is made again: one token, one send. */
    @Test
    void aTokenStepThatNeverLeftIsMadeAgainAfterACrash() {
        String id = tokenStepCutShort("failure_kind = 'NOT_REACHED'");
        etelecomCreatesAndSends();

        awaitStatus(id, "SUBMITTED").then()
                .body("provider_message_id", org.hamcrest.Matchers.equalTo("msg-" + id))
                .body("journey.status", org.hamcrest.Matchers.equalTo("NEW"));
        etelecom.verify(2, postRequestedFor(urlEqualTo(EtelecomStub.CREATE_JOURNEY)));
        assertThat(sends()).hasSize(1);
    }

    /** SendZNSJourney calls that ended this way, as the client counts them. */
    double sendCalls(String outcome) {
        Timer calls = meters.find("gateway.upstream.calls")
                .tags("provider", "etelecom", "operation", "SendZNSJourney", "outcome", outcome).timer();
        return calls == null ? 0 : calls.count();
    }

    /** A send refused at connect certainly never left: it is made again, and eTelecom gets it once. */
    @Test
    void aSendThatCertainlyDidNotLeaveIsSentAgainAndArrivesOnce() {
        etelecomCreatesAndSends();
        String journey = journeyExpiringIn("1 hour");
        double refusedBefore = sendCalls("unavailable");

        String id;
        etelecom.stop();
        try {
            id = send(nextMessage(journey, "x"));
            await().atMost(Messages.PATIENCE).pollInterval(Duration.ofMillis(5)).until(() -> sendCalls("unavailable") > refusedBefore);
        } finally {
            etelecom.start();
        }

        awaitStatus(id, "SUBMITTED").then()
                .body("provider_message_id", org.hamcrest.Matchers.equalTo("msg-" + id))
                .body("error", org.hamcrest.Matchers.nullValue());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(sends()).as("the refused calls never arrived; the one that did, once").hasSize(1));
    }

    /** A connection reset after eTelecom read the request: it may have been sent, so it is never sent again. */
    @Test
    void aSendResetAfterItsRequestWentOutIsNeverSentAgain() {
        etelecomCreatesAndSends();
        String journey = journeyExpiringIn("1 hour");
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY))
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)));

        String id = send(nextMessage(journey, "x"));
        awaitStatus(id, "SUBMITTED").then()
                .body("provider_message_id", org.hamcrest.Matchers.nullValue())
                .body("error.code", org.hamcrest.Matchers.equalTo("send_outcome_unknown"))
                .body("error.message", containsString("not sent again"));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(sends()).as("one send, never a second").hasSize(1));
    }

    /** Accepted while its token was valid; the token ran out before the message could go: failed, not sent. */
    @Test
    void aMessageWhoseTokenExpiredWhileItWaitedFailsUnsent() {
        etelecomCreatesAndSends();
        String journey = journeyExpiringIn("1 hour");
        ObjectNode body = nextMessage(journey, "x");
        body.put("send_at", inVietnam(Duration.ofSeconds(2)));
        String id = send(body);
        rows.update("update journeys set expires_at = now() - interval '1 second' where id = ?::uuid", journey);

        awaitStatus(id, "FAILED").then().body("error.code", org.hamcrest.Matchers.equalTo("journey_expired"));
        assertThat(sends()).isEmpty();
    }

    @Test
    void nxcloudReceiptsFindAJourneyMessageByItsMsgIdAndKeepWhatZaloSaid() {
        etelecomCreatesAndSends();
        String id = send(journeyMessage());
        String journeyId = awaitStatus(id, "SUBMITTED").path("journey.id");

        given().contentType(ContentType.JSON).body("""
                {"status": "success", "requestId": "msg-%s", "code": 0, "message": "Successfully sent.",
                 "sendTime": "2036-11-23 11:00:01", "cost": {"currency": "VND", "originalPrice": 300},
                 "zaloRes": {"sysMsg": "Successfully sent.", "cusMsg": "Đã gửi", "error": 0, "message": "Success",
                   "data": {"sent_time": "2110950001000", "sending_mode": "1", "msg_id": "zalo-77",
                            "quota": {"remainingQuota": "", "dailyQuota": "5000"}}}}""".formatted(id))
                .post(WEBHOOK).then().statusCode(200);
        given().contentType(ContentType.JSON).body("""
                {"status": "journey_acknowledged", "requestId": "msg-%s", "code": 17006,
                 "message": "The journey begins to be charged", "oaId": "%s", "journeyId": "%s",
                 "appId": "3310100000000048", "timestamp": "2110950002000", "cost": {"currency": "VND", "originalPrice": 250}}"""
                .formatted(id, OA_ID, PROVIDER_JOURNEY_ID))
                .post(WEBHOOK).then().statusCode(200);
        given().contentType(ContentType.JSON).body("""
                {"status": "delivered", "requestId": "msg-%s", "code": 17003, "message": "Zalo message has delivered",
                 "sendTime": "23/11/2036 11:00"}""".formatted(id))
                .post(WEBHOOK).then().statusCode(200);

        awaitStatus(id, "DELIVERED").then()
                .body("receipts", hasSize(2))
                .body("receipts[0].zalo.msg_id", org.hamcrest.Matchers.equalTo("zalo-77"))
                .body("receipts[0].zalo.cus_msg", org.hamcrest.Matchers.equalTo("Đã gửi"))
                .body("receipts[0].zalo.sending_mode", org.hamcrest.Matchers.equalTo("1"))
                .body("receipts[0].zalo.sent_time", org.hamcrest.Matchers.startsWith("2036-11-22T"))
                .body("receipts[0].unreadable", containsString("zaloRes.data.quota.remainingQuota"))
                .body("receipts[1].status", org.hamcrest.Matchers.equalTo("delivered"))
                .body("receipts[1].unreadable", containsString("sendTime"));
        TestKeys.consumer().get("/v1/journeys/" + journeyId).then()
                .body("status", org.hamcrest.Matchers.equalTo("ACKNOWLEDGED")).body("charged", org.hamcrest.Matchers.equalTo(true))
                .body("receipts", hasSize(1))
                .body("receipts[0].status", org.hamcrest.Matchers.equalTo("journey_acknowledged"))
                .body("receipts[0].code", org.hamcrest.Matchers.equalTo(17006))
                .body("receipts[0].app_id", org.hamcrest.Matchers.equalTo("3310100000000048"))
                .body("receipts[0].timestamp", org.hamcrest.Matchers.equalTo("2036-11-22T14:00:02+07:00"))
                .body("receipts[0].cost.currency", org.hamcrest.Matchers.equalTo("VND"))
                .body("receipts[0].cost.amount", org.hamcrest.Matchers.equalTo(250.0f));
        assertThat(rows.one("select app_id, provider_timestamp from receipts where status = 'journey_acknowledged'")
                .get("app_id")).isEqualTo("3310100000000048");
    }
}
