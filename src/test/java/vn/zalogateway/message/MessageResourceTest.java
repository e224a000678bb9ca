package vn.zalogateway.message;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static vn.zalogateway.support.Messages.DEFAULT_CONSUMER;
import static vn.zalogateway.support.Messages.JSON;
import static vn.zalogateway.support.Messages.OA_ID;
import static vn.zalogateway.support.Messages.PATIENCE;
import static vn.zalogateway.support.Messages.USER_ID;
import static vn.zalogateway.support.Messages.awaitStatus;
import static vn.zalogateway.support.Messages.message;
import static vn.zalogateway.support.Messages.send;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.receipt.Reconciler;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
public class MessageResourceTest {

    @InjectEsms
    WireMockServer esms;

    @InjectWireMock
    WireMockServer etelecom;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Reconciler reconciler;

    @Inject
    Vertx vertx;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("messages", "journeys", "idempotency_keys");
        esms.resetAll();
        etelecom.resetAll();
        circuitBreakers.resetAll();
    }

    static RequestSpecification consumer() {
        return TestKeys.consumer();
    }

    static ResponseDefinitionBuilder esmsAnswer(String json) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(json);
    }

    /** eSMS accepts and answers an SMSID derived from our RequestId, so tests can tell them apart. */
    void esmsAccepts() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(esmsAnswer(
                "{\"CodeResult\": \"100\", \"CountRegenerate\": 0, \"SMSID\": \"sms-{{jsonPath request.body '$.RequestId'}}\"}")
                .withTransformers("response-template")));
    }

    List<LoggedRequest> esmsRequests() {
        return esms.findAll(postRequestedFor(urlEqualTo(EsmsStub.SEND)));
    }

    // --- accept and dispatch --------------------------------------------------------------------

    @Test
    void acceptsTheSeedExampleThenSubmitsItToEsmsExactlyAsDocumented() throws IOException {
        esmsAccepts();

        Response accepted = consumer().body(message().toString()).post("/v1/messages")
                .then().statusCode(202)
                .contentType(ContentType.JSON)
                // the answer is what was committed: eSMS is called after it
                .body("status", equalTo("ACCEPTED"))
                .body("oa_id", equalTo(OA_ID))
                .body("user_id", equalTo(USER_ID))
                .body("template_type", equalTo("transaction_order"))
                .body("ext", equalTo("order-123"))
                .body("sandbox", equalTo(false))
                .extract().response();
        String id = accepted.path("id");
        assertThat(accepted.header("Location")).endsWith("/v1/messages/" + id);

        awaitStatus(id, "SUBMITTED").then()
                .body("provider_message_id", equalTo("sms-" + id))
                .body("send_attempts", equalTo(1))
                .body("submitted_at", notNullValue())
                .body("error", nullValue());

        List<LoggedRequest> requests = esmsRequests();
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).getHeader("Content-Type")).startsWith("text/plain");
        JsonNode template;
        try (InputStream seed = getClass().getResourceAsStream("/templates/seed-transaction-order.json")) {
            template = JSON.readTree(seed);
        }
        ObjectNode expected = JSON.createObjectNode()
                .put("ApiKey", EsmsStub.API_KEY).put("SecretKey", EsmsStub.SECRET_KEY).put("OAID", OA_ID)
                .put("Sandbox", "0").put("RequestId", id).put("CallbackUrl", EsmsStub.CALLBACK_URL);
        ObjectNode payload = expected.putObject("Payload");
        payload.putObject("recipient").put("user_id", USER_ID);
        payload.putObject("message").putObject("attachment").put("type", "template").set("payload", template);
        assertThat(JSON.readTree(requests.get(0).getBodyAsString())).isEqualTo(expected);

        Map<String, Object> row = rows.one("select * from messages where id = ?::uuid", id);
        assertThat(row).containsEntry("status", "SUBMITTED").containsEntry("provider_message_id", "sms-" + id)
                .containsEntry("attempts", 1).containsEntry("due_at", null).containsEntry("lease_until", null)
                .containsEntry("ext", "order-123");
        assertThat(JSON.readTree((String) row.get("zalo_payload"))).isEqualTo(template);
    }

    @Test
    void sandboxAndUserIdAsANumberAreSentAsEsmsWantsThem() throws IOException {
        esmsAccepts();
        ObjectNode body = message();
        body.put("sandbox", true).put("user_id", 5830123456789L);

        awaitStatus(send(body), "SUBMITTED");

        JsonNode sent = JSON.readTree(esmsRequests().get(0).getBodyAsString());
        assertThat(sent.get("Sandbox").asText()).isEqualTo("1");
        assertThat(sent.at("/Payload/recipient/user_id").asText()).isEqualTo(USER_ID);
    }

    @Test
    void aBodyNotSentAsJsonIs415SayingWhatToSend() {
        esmsAccepts();
        for (String contentType : new String[] { "text/plain", null }) {
            var request = given().auth().oauth2(TestKeys.KEY).body(message().toString().getBytes(StandardCharsets.UTF_8));
            if (contentType != null) {
                request.contentType(contentType);
            }
            request.post("/v1/messages").then().statusCode(415).contentType("application/problem+json")
                    .body("type", equalTo("urn:zalo-gateway:problem:unsupported-media-type"))
                    .body("detail", containsString("'Content-Type: application/json'"));
        }
        assertThat(rows.count("messages")).isZero();
        assertThat(esmsRequests()).isEmpty();
    }

    @Test
    void anInvalidMessageIsA400WithEveryViolationAndNothingIsStoredOrSent() {
        esmsAccepts();
        ObjectNode body = message();
        body.put("oa_id", "x").remove("user_id");
        body.put("language", "FR").put("sandbox", "yes").put("send_at", "next week");
        ((ObjectNode) body.withArray("elements").get(1)).put("content", "x".repeat(101));
        body.putObject("journey").put("phone", "123");
        body.put("journey_id", "also");

        consumer().body(body.toString()).post("/v1/messages")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:validation"))
                .body("violations.field", hasItems("oa_id", "user_id", "language", "sandbox", "send_at",
                        "elements[1].content", "journey", "journey_id"));

        assertThat(rows.count("messages")).isZero();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(1300)).untilAsserted(() -> assertThat(esmsRequests()).isEmpty());
    }

    @Test
    void validateChecksEverythingAndStoresNothing() {
        consumer().body(message().toString()).post("/v1/messages/validate")
                .then().statusCode(200).body("valid", equalTo(true));
        ObjectNode broken = message();
        broken.withArray("buttons").add(broken.withArray("buttons").get(0).deepCopy());
        broken.withArray("buttons").add(broken.withArray("buttons").get(0).deepCopy());
        consumer().body(broken.toString()).post("/v1/messages/validate")
                .then().statusCode(400).body("violations[0].field", equalTo("buttons"))
                .body("violations[0].message", containsString("at most 4 buttons"));
        consumer().body("[1, 2]").post("/v1/messages/validate")
                .then().statusCode(400).body("violations[0].field", equalTo("body"));
        consumer().body("{\"oa_id\": ").post("/v1/messages/validate")
                .then().statusCode(400).body("type", equalTo("urn:zalo-gateway:problem:malformed-json"));
        assertThat(rows.count("messages")).isZero();
        assertThat(esmsRequests()).isEmpty();
    }

    @Test
    void esmsBadCredentialsFailTheMessageWithTheirCode() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(esmsAnswer(
                "{\"CodeResult\": \"101\", \"CountRegenerate\": 0, \"ErrorMessage\": \"Authorize Failed\"}")));

        String id = send(message());

        awaitStatus(id, "FAILED").then()
                .body("error.code", equalTo("101"))
                .body("error.message", equalTo("Authorize Failed"))
                .body("provider_message_id", nullValue());
        await().during(Duration.ofMillis(500)).atMost(Duration.ofMillis(1500)).untilAsserted(() ->
                assertThat(esmsRequests()).as("a refusal is final").hasSize(1));
    }

    @Test
    void anotherEsmsRefusalFailsTheMessage() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(esmsAnswer(
                "{\"CodeResult\": 103, \"ErrorMessage\": \"Balance not enough to send message\"}")));
        awaitStatus(send(message()), "FAILED").then().body("error.code", equalTo("103"));
    }

    /**
     * eSMS answers a resent RequestId with 124 and no SMSID. The message is SUBMITTED without one, and is
     * not stranded: its eSMS callback names it by our RequestId, so it learns the SMSID there, and the
     * NXCloud receipts that waited for that SMSID are applied too.
     */
    @Test
    void aDuplicateRequestIdWithoutSmsIdLearnsItFromTheCallback() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(esmsAnswer("{\"CodeResult\": \"124\", \"ErrorMessage\": \"Duplicate RequestId\"}")));
        String id = send(message());
        awaitStatus(id, "SUBMITTED").then().body("provider_message_id", nullValue());

        given().contentType(ContentType.JSON)
                .body("{\"status\": \"delivered\", \"requestId\": \"sms-learned\", \"code\": 17003, \"timestamp\": 1}")
                .post("/v1/webhooks/nxcloud/test-nxcloud-secret").then().statusCode(200);
        assertThat(rows.count("receipts where applied_at is null")).as("the NXCloud receipt waits for its SMSID").isEqualTo(1);

        given().queryParam("SMSID", "sms-learned").queryParam("RequestId", id).queryParam("SendStatus", "5")
                .queryParam("SendSuccess", "1").get("/v1/webhooks/esms/test-esms-secret").then().statusCode(200);

        awaitStatus(id, "DELIVERED").then().body("provider_message_id", equalTo("sms-learned"));
        assertThat(rows.count("receipts where applied_at is null")).isZero();
        assertThat(rows.count("receipts where message_ref = '" + id + "'")).isEqualTo(2);
    }

    /**
     * eSMS's 100 without an SMSID (the seed's always has one, issue 31 item 4.c): accepted, so never sent again;
     * SUBMITTED without a reference, saying so in provider_note, eSMS's answer kept. GetCallback takes SMSIDs only, so
     * the reconciler cannot look it up (a message with an SMSID, due in the same round, is): eSMS's callback, which
     * names our RequestId beside the SMSID, is what teaches the SMSID and moves the message.
     */
    @Test
    void anAcceptanceWithoutSmsIdIsSubmittedSayingSoAndItsCallbackTeachesTheSmsId() {
        String answer = "{\"CodeResult\":\"100\"}";
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(esmsAnswer(answer)));
        esms.stubFor(post(urlEqualTo(EsmsStub.GET_CALLBACK)).willReturn(esmsAnswer(
                "{\"Code\": 100, \"Message\": \"Success\", \"Data_callback\": []}")));
        String id = send(message());

        awaitStatus(id, "SUBMITTED").then()
                .body("provider_message_id", nullValue())
                .body("provider_note", equalTo("eSMS answered CodeResult 100 without an SMSID; the message is matched by its "
                        + "RequestId when eSMS calls back"))
                .body("error", nullValue());
        assertThat(rows.one("select provider_answer from messages where id = ?::uuid", id)).containsEntry("provider_answer", answer);

        String withSmsId = "0190a0a0-0000-7000-8000-00000000c0de";
        rows.submittedMessage(withSmsId, "sms-known");
        rows.update("update messages set next_look_at = now() - interval '1 second' where id in (?::uuid, ?::uuid)", id, withSmsId);
        FreshContext.run(vertx, reconciler::reconcile).await().atMost(Duration.ofSeconds(10));
        esms.verify(1, postRequestedFor(urlEqualTo(EsmsStub.GET_CALLBACK)));
        esms.verify(postRequestedFor(urlEqualTo(EsmsStub.GET_CALLBACK)).withRequestBody(equalToJson("""
                {"ApiKey": "%s", "SecretKey": "%s", "OAId": "%s", "ListRefid": ["sms-known"]}"""
                .formatted(EsmsStub.API_KEY, EsmsStub.SECRET_KEY, OA_ID))));

        given().queryParam("SMSID", "sms-told-later").queryParam("RequestId", id).queryParam("SendStatus", "5")
                .queryParam("SendSuccess", "1").get("/v1/webhooks/esms/test-esms-secret").then().statusCode(200);

        awaitStatus(id, "SENT").then().body("provider_message_id", equalTo("sms-told-later"));
        assertThat(esmsRequests()).as("accepted: never sent again").hasSize(1);
    }

    /**
     * eSMS refusing at submission for the template (789) fails the message with eSMS's own code and words and the
     * class the gateway can act on, on the message and in its status callback.
     */
    @Test
    void aRefusalForTheTemplateFailsTheMessageWithItsClass() {
        rows.clear("callback_events");
        rows.update("update consumers set callback_url = 'http://127.0.0.1:9/events' where id = ?::uuid", DEFAULT_CONSUMER);
        try {
            esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(esmsAnswer(
                    "{\"CodeResult\": \"789\", \"ErrorMessage\": \"Template khong hop le\"}")));
            String id = send(message());

            awaitStatus(id, "FAILED").then()
                    .body("error.code", equalTo("789"))
                    .body("error.message", equalTo("Template khong hop le"))
                    .body("error.class", equalTo("template"));
            assertThat(rows.one("select data->'error'->>'code' as code, data->'error'->>'class' as class from callback_events "
                    + "where subject_id = ?::uuid and data->>'status' = 'FAILED'", id))
                    .containsEntry("code", "789").containsEntry("class", "template");
        } finally {
            rows.update("update consumers set callback_url = null where id = ?::uuid", DEFAULT_CONSUMER);
        }
    }

    @Test
    void aKnownSmsIdIsKeptWhenACallbackNamesAnother() {
        esmsAccepts();
        String id = send(message());
        awaitStatus(id, "SUBMITTED").then().body("provider_message_id", equalTo("sms-" + id));

        given().queryParam("SMSID", "another").queryParam("RequestId", id).queryParam("SendStatus", "5")
                .queryParam("SendSuccess", "1").get("/v1/webhooks/esms/test-esms-secret").then().statusCode(200);

        awaitStatus(id, "SENT").then().body("provider_message_id", equalTo("sms-" + id));
    }

    @Test
    void transientEsmsFailuresAreRetriedFromTheDatabaseWithTheSameRequestId() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("slow"));
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).inScenario("flaky").whenScenarioStateIs("slow")
                .willReturn(esmsAnswer("{\"CodeResult\": \"100\", \"SMSID\": \"late\"}").withFixedDelay(5000))
                .willSetStateTo("garbage"));
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).inScenario("flaky").whenScenarioStateIs("garbage")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "text/html").withBody("<html>oops"))
                .willSetStateTo("healthy"));
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).inScenario("flaky").whenScenarioStateIs("healthy")
                .willReturn(esmsAnswer("{\"CodeResult\": \"100\", \"SMSID\": \"sms-ok\"}")));

        String id = send(message());

        awaitStatus(id, "SUBMITTED").then().body("provider_message_id", equalTo("sms-ok")).body("send_attempts", equalTo(4));
        List<LoggedRequest> requests = esmsRequests();
        assertThat(requests).hasSize(4);
        assertThat(requests).extracting(Messages::requestId)
                .containsOnly(id);
    }

    /** A 4xx other than 408 and 429 says the request itself is wrong: no retry changes that. A 429 is retried. */
    @Test
    void anEsmsClientErrorFailsTheMessageAtOnceButATooManyRequestsIsRetried() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(404)));
        awaitStatus(send(message()), "FAILED").then()
                .body("error.code", equalTo("http_404")).body("send_attempts", equalTo(1));
        assertThat(esmsRequests()).hasSize(1);

        esms.resetAll();
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).inScenario("busy").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429)).willSetStateTo("free"));
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).inScenario("busy").whenScenarioStateIs("free")
                .willReturn(esmsAnswer("{\"CodeResult\": \"100\", \"SMSID\": \"sms-after-429\"}")));
        awaitStatus(send(message()), "SUBMITTED").then().body("send_attempts", equalTo(2));
    }

    @Test
    void aMessageThatNeverGetsThroughFailsWhenRetriesRunOut() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(500)));

        String id = send(message());

        awaitStatus(id, "FAILED").then()
                .body("error.code", equalTo("retries_exhausted"))
                .body("error.message", containsString("HTTP 500"))
                .body("send_attempts", equalTo(4));
        assertThat(esmsRequests()).hasSize(4);
    }

    // --- crash recovery and concurrency ---------------------------------------------------------

    @Test
    void messagesLeftInTheOutboxByACrashAreDispatchedAndLiveLeasesAreRespected() throws Exception {
        esmsAccepts();
        String payload = JSON.writeValueAsString(message().without(List.of("oa_id", "user_id", "ext")));
        String insert = "insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, "
                + "attempts, due_at, lease_until, created_at, updated_at) values ('" + DEFAULT_CONSUMER + "', ?::uuid, " + OA_ID + ", '" + USER_ID
                + "', 'transaction_order', 'VI', ?, 'ACCEPTED', ?, now() - interval '1 minute', %s, now(), now())";
        rows.update(insert.formatted("null"), "0190a0a0-0000-7000-8000-00000000000a", payload, 0);
        // Claimed by an instance that died mid-call: its lease ran out.
        rows.update(insert.formatted("now() - interval '1 second'"), "0190a0a0-0000-7000-8000-00000000000b", payload, 1);
        // Claimed by a live instance: not ours to send until its lease ends.
        rows.update(insert.formatted("now() + interval '1 hour'"), "0190a0a0-0000-7000-8000-00000000000c", payload, 1);

        awaitStatus("0190a0a0-0000-7000-8000-00000000000a", "SUBMITTED");
        awaitStatus("0190a0a0-0000-7000-8000-00000000000b", "SUBMITTED").then().body("send_attempts", equalTo(2));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofMillis(1500)).untilAsserted(() -> {
            consumer().get("/v1/messages/0190a0a0-0000-7000-8000-00000000000c").then().body("status", equalTo("ACCEPTED"));
            assertThat(esmsRequests()).hasSize(2);
        });
    }

    @Test
    void racingDispatchersSendEachMessageOnce() throws Exception {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(esmsAnswer(
                "{\"CodeResult\": \"100\", \"SMSID\": \"sms-{{jsonPath request.body '$.RequestId'}}\"}")
                .withTransformers("response-template").withFixedDelay(20)));
        String payload = JSON.writeValueAsString(message().without(List.of("oa_id", "user_id", "ext")));
        int count = 300;
        double retriesBefore = retries();
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, due_at, "
                + "created_at, updated_at) select '" + DEFAULT_CONSUMER + "', gen_random_uuid(), " + OA_ID + ", '" + USER_ID + "', 'transaction_order', "
                + "'VI', ?, 'ACCEPTED', now(), now(), now() from generate_series(1, " + count + ")", payload);

        // Four more rounds racing the instance's own dispatcher, each on its own context.
        List<Uni<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rounds.add(FreshContext.run(vertx, dispatcher::drain));
        }
        Uni.join().all(rounds).andFailFast().await().atMost(PATIENCE);

        await().atMost(PATIENCE).untilAsserted(() -> assertThat(rows.count("messages where status = 'SUBMITTED'")).isEqualTo(count));
        // Racing claims never send a message twice: every attempt beyond a message's first is a retry the dispatcher
        // decided and counted (a call that timed out on this loaded machine goes again with the same RequestId,
        // which eSMS drops), never a second claim of a message another round holds. WireMock may not journal a
        // request whose caller gave up on it, so requests are at most the attempts.
        Map<String, Long> requestsPerMessage = esmsRequests().stream()
                .collect(Collectors.groupingBy(Messages::requestId, Collectors.counting()));
        assertThat(requestsPerMessage).hasSize(count);
        Map<String, Long> attempts = new java.util.HashMap<>();
        rows.query("select id::text as id, attempts from messages").forEach(row -> attempts.put((String) row.get("id"),
                ((Number) row.get("attempts")).longValue()));
        requestsPerMessage.forEach((id, requests) -> assertThat(requests).as(id).isLessThanOrEqualTo(attempts.get(id)));
        long extraAttempts = attempts.values().stream().mapToLong(attempt -> attempt - 1).sum();
        assertThat(extraAttempts).as("attempts beyond the first are the dispatcher's own retries")
                .isEqualTo((long) (retries() - retriesBefore));
    }

    @Inject
    io.micrometer.core.instrument.MeterRegistry meters;

    double retries() {
        return meters.counter("gateway.messages.dispatched", "outcome", "retry").count();
    }

    @Test
    void scheduledMessagesGoOutWhenDue() {
        esmsAccepts();
        ZoneId vietnam = ZoneId.of("Asia/Ho_Chi_Minh");
        String inTwoSeconds = LocalDateTime.now(vietnam).plusSeconds(3)
                .format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss"));
        ObjectNode body = message();
        body.put("send_at", inTwoSeconds);

        String id = consumer().body(body.toString()).post("/v1/messages")
                .then().statusCode(202).body("status", equalTo("SCHEDULED"))
                .body("send_at", containsString("+07:00")).extract().path("id");

        await().during(Duration.ofMillis(800)).atMost(Duration.ofMillis(1800)).untilAsserted(() -> assertThat(esmsRequests()).isEmpty());
        awaitStatus(id, "SUBMITTED");

        ObjectNode past = message();
        past.put("send_at", "2020-01-01T00:00:00Z");
        consumer().body(past.toString()).post("/v1/messages").then().statusCode(202)
                .body("status", equalTo("ACCEPTED"));
    }

    // --- journeys belong to ZNS journey messages (v1.2) ------------------------------------------

    /** A transaction message has no field that carries a token: a journey on it would never be used. */
    @Test
    void aTransactionMessageWithAJourneyIsRefusedNamingWhatToUse() {
        ObjectNode body = message();
        body.putObject("journey").put("phone", "0912345678");
        consumer().body(body.toString()).post("/v1/messages").then().statusCode(400)
                .body("violations.field", hasItems("journey"))
                .body("violations[0].message", containsString("zns_journey"));
        body.remove("journey");
        body.put("journey_id", "0190a0a0-0000-7000-8000-0000000000ff");
        consumer().body(body.toString()).post("/v1/messages").then().statusCode(400)
                .body("violations.field", hasItems("journey_id"));
        assertThat(rows.count("messages")).isZero();
        etelecom.verify(0, postRequestedFor(urlEqualTo(EtelecomStub.CREATE_JOURNEY)));
    }

    // --- idempotency ----------------------------------------------------------------------------

    @Test
    void aRepeatedKeyReplaysTheMessageAndSendsItOnce() {
        esmsAccepts();
        String first = consumer().header("Idempotency-Key", "m-1").body(message().toString()).post("/v1/messages")
                .then().statusCode(202).header("Idempotent-Replayed", nullValue()).extract().path("id");
        awaitStatus(first, "SUBMITTED");

        // Same request, keys in another order: the same request.
        ObjectNode reordered = JSON.createObjectNode();
        List<String> names = new ArrayList<>();
        message().fieldNames().forEachRemaining(names::add);
        java.util.Collections.reverse(names);
        names.forEach(name -> reordered.set(name, message().get(name)));
        consumer().header("Idempotency-Key", "m-1").body(reordered.toString()).post("/v1/messages")
                .then().statusCode(202).header("Idempotent-Replayed", equalTo("true"))
                .body("id", equalTo(first)).body("status", equalTo("SUBMITTED"));

        ObjectNode other = message();
        other.put("ext", "another order");
        consumer().header("Idempotency-Key", "m-1").body(other.toString()).post("/v1/messages")
                .then().statusCode(422).body("type", equalTo("urn:zalo-gateway:problem:idempotency-key-reused"));

        await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(1300)).untilAsserted(() -> {
            assertThat(esmsRequests()).hasSize(1);
            assertThat(rows.count("messages")).isEqualTo(1);
        });
    }

    @Test
    void concurrentTwinsWithOneKeyMakeOneMessage() {
        esmsAccepts();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Response>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> consumer().header("Idempotency-Key", "twin")
                        .body(message().toString()).post("/v1/messages"), pool));
            }
            List<Response> responses = answers.stream().map(CompletableFuture::join).toList();
            assertThat(responses).allSatisfy(r -> assertThat(r.statusCode()).isEqualTo(202));
            Set<String> ids = responses.stream().map(r -> r.<String>path("id")).collect(Collectors.toSet());
            assertThat(ids).hasSize(1);
            awaitStatus(ids.iterator().next(), "SUBMITTED");
        } finally {
            pool.shutdownNow();
        }
        await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(1300)).untilAsserted(() -> {
            assertThat(rows.count("messages")).isEqualTo(1);
            assertThat(esmsRequests()).hasSize(1);
        });
    }

    // --- reading --------------------------------------------------------------------------------

    @Test
    void listsNewestFirstWithFiltersAndCursors() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(esmsAnswer("{\"CodeResult\": \"101\", \"ErrorMessage\": \"no\"}")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(send(message()));
        }
        ObjectNode otherOa = message();
        otherOa.put("oa_id", "42");
        String other = send(otherOa);
        ids.forEach(id -> awaitStatus(id, "FAILED"));

        Response page = consumer().queryParam("oa_id", OA_ID).queryParam("limit", 2).get("/v1/messages")
                .then().statusCode(200).body("items", hasSize(2)).extract().response();
        assertThat(page.<List<String>>path("items.id")).containsExactly(ids.get(2), ids.get(1));
        consumer().queryParam("oa_id", OA_ID).queryParam("cursor", page.<String>path("next_cursor")).get("/v1/messages")
                .then().statusCode(200).body("items.id", org.hamcrest.Matchers.contains(ids.get(0)))
                .body("next_cursor", nullValue());
        consumer().queryParam("oa_id", "42").get("/v1/messages").then().body("items.id", org.hamcrest.Matchers.contains(other));
        consumer().queryParam("status", "FAILED").queryParam("from", "2020-01-01 00:00:00").get("/v1/messages")
                .then().statusCode(200).body("items", hasSize(org.hamcrest.Matchers.greaterThanOrEqualTo(3)));
        consumer().queryParam("to", "2020-01-01T00:00:00+07:00").get("/v1/messages").then().body("items", hasSize(0));
        consumer().queryParam("from", "yesterday").queryParam("status", "LOST").get("/v1/messages")
                .then().statusCode(400).body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("from", "status"));
        consumer().get("/v1/messages/0190a0a0-0000-7000-8000-0000000000ff").then().statusCode(404);
        consumer().get("/v1/messages/nope").then().statusCode(404);
        given().get("/v1/messages").then().statusCode(401);
        given().contentType(ContentType.JSON).body(message().toString()).post("/v1/messages").then().statusCode(401);
    }
}
