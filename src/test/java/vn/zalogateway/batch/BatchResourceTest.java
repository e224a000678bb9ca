package vn.zalogateway.batch;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static vn.zalogateway.support.Messages.JSON;
import static vn.zalogateway.support.Messages.awaitStatus;
import static vn.zalogateway.support.Messages.message;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/** Contract v1.3's batches over real HTTP and PostgreSQL: each endpoint, and each refusal with nothing stored. */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class BatchResourceTest {

    @InjectEsms
    WireMockServer esms;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("messages", "batches", "journeys", "idempotency_keys");
        esms.resetAll();
        circuitBreakers.resetAll();
    }

    static ObjectNode batch(ObjectNode... messages) {
        ObjectNode body = JSON.createObjectNode().put("ext", "campaign-7");
        ArrayNode list = body.putArray("messages");
        for (ObjectNode message : messages) {
            list.add(message);
        }
        return body;
    }

    static ObjectNode later(ObjectNode message) {
        return message.put("send_at", Messages.inVietnam(Duration.ofHours(2)));
    }

    static Response send(ObjectNode batch) {
        return TestKeys.consumer().body(batch.toString()).post("/v1/batches");
    }

    @Test
    void validItemsAreStoredTogetherAndEachInvalidOneIsAnsweredWithEveryViolation() {
        ObjectNode broken = message();
        broken.remove("user_id");
        broken.put("language", "XX");
        ObjectNode journey = Messages.journeyMessage();
        journey.putObject("fallback").putObject("sms").put("phone", "0912345678").put("text", "Don hang DH-001 dang giao")
                .put("brandname", "SHOP-A");
        ObjectNode foreign = message().put("oa_id", "not-a-number");

        Response answer = send(batch(later(message()), broken, journey, foreign));
        answer.then().log().ifValidationFails().statusCode(202)
                .header("Location", endsWith("/v1/batches/" + answer.path("id")))
                .body("accepted", equalTo(2)).body("rejected", equalTo(2))
                .body("items", hasSize(4))
                .body("items[0].index", equalTo(0)).body("items[0].id", notNullValue()).body("items[0].violations", nullValue())
                .body("items[1].index", equalTo(1)).body("items[1].id", nullValue())
                .body("items[1].violations.field", hasItems("user_id", "language"))
                .body("items[2].index", equalTo(2)).body("items[2].id", notNullValue())
                .body("items[3].index", equalTo(3)).body("items[3].violations.field", hasItems("oa_id"));
        String batchId = answer.path("id");
        assertThat(rows.count("batches")).isEqualTo(1);
        assertThat(rows.query("select id::text as id from messages where batch_id = ?::uuid order by id", batchId))
                .extracting(row -> row.get("id")).containsExactlyInAnyOrder(answer.path("items[0].id"), answer.path("items[2].id"));
        assertThat(rows.count("messages")).isEqualTo(2);

        // Each is an ordinary message that names its batch; the journey message kept its SMS fallback.
        TestKeys.consumer().get("/v1/messages/" + answer.path("items[0].id")).then().statusCode(200)
                .body("batch_id", equalTo(batchId)).body("status", equalTo("SCHEDULED")).body("ext", equalTo("order-123"));
        TestKeys.consumer().get("/v1/messages/" + answer.path("items[2].id")).then().statusCode(200)
                .body("batch_id", equalTo(batchId)).body("kind", equalTo("zns_journey"))
                .body("fallback.sms.phone", equalTo("84912345678"));
        TestKeys.consumer().get("/v1/batches/" + batchId).then().statusCode(200)
                .body("id", equalTo(batchId)).body("ext", equalTo("campaign-7"))
                .body("accepted", equalTo(2)).body("rejected", equalTo(2))
                .body("items.index", equalTo(List.of(0, 2)))
                .body("items.id", equalTo(List.of(answer.path("items[0].id"), answer.path("items[2].id"))));
    }

    @Test
    void anEmptyListOrNoneIsA400AndMoreThanAThousandA413() {
        send(batch()).then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItems("messages"));
        TestKeys.consumer().body("{\"ext\": \"x\"}").post("/v1/batches").then().statusCode(400)
                .body("violations.field", hasItems("messages"));
        TestKeys.consumer().body("[]").post("/v1/batches").then().statusCode(400);

        ObjectNode tooMany = batch();
        ObjectNode small = JSON.createObjectNode().put("oa_id", "1");
        for (int i = 0; i < 1001; i++) {
            ((ArrayNode) tooMany.get("messages")).add(small);
        }
        send(tooMany).then().statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413)).body("type", endsWith("batch-too-large")).body("detail", containsString("1001"));
        assertThat(rows.count("batches")).isZero();
        assertThat(rows.count("messages")).isZero();
    }

    @Test
    void aThousandMessagesOverSixtyFourKibibytesAreOneBatchWhileOtherPathsKeepTheirLimit() {
        ObjectNode[] thousand = new ObjectNode[1000];
        for (int i = 0; i < thousand.length; i++) {
            thousand[i] = later(message().put("ext", "order-" + i));
        }
        ObjectNode body = batch(thousand);
        assertThat(body.toString().length()).isGreaterThan(64 * 1024);
        Response answer = send(body);
        answer.then().statusCode(202).body("accepted", equalTo(1000)).body("rejected", equalTo(0));
        assertThat(rows.count("messages where batch_id is not null")).isEqualTo(1000);
        TestKeys.consumer().get("/v1/batches/" + answer.path("id")).then().statusCode(200)
                .body("counts.SCHEDULED", equalTo(1000)).body("counts.ACCEPTED", equalTo(0)).body("items", hasSize(1000));

        // Another path keeps its 64 KiB.
        TestKeys.consumer().body(message().put("ext", "x".repeat(70_000)).toString()).post("/v1/messages")
                .then().statusCode(413).contentType("application/problem+json");
    }

    @Test
    void aBodyOverFiveMebibytesIsA413AndNothingIsStored() throws Exception {
        ObjectNode body = batch(message().put("ext", "x".repeat(5 * 1024 * 1024)));
        send(body).then().statusCode(413).contentType("application/problem+json").body("status", equalTo(413));
        // Sent in chunks, without a Content-Length: the body reader holds it to the same limit.
        HttpRequest chunked = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + "/v1/batches"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + TestKeys.KEY)
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(body.toString().getBytes(StandardCharsets.UTF_8))))
                .build();
        try {
            assertThat(HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(413);
        } catch (IOException dropped) {
            // the server may close the connection while the body is still coming: refused all the same
        }
        assertThat(rows.count("batches")).isZero();
        assertThat(rows.count("messages")).isZero();
    }

    @Test
    void theRateLimitsCountEachItemAndABatchPastThemIsRefusedWhole() {
        Consumers.Made shop = Consumers.make("batching", List.of("*"), null);
        TestKeys.admin().body("{\"rate_limit_per_second\": 5}").patch("/v1/admin/consumers/" + shop.id()).then().statusCode(200);

        ObjectNode broken = message();
        broken.remove("user_id");
        // Invalid items are no sends: they count for nothing.
        TestKeys.withKey(shop.apiKey()).body(batch(later(message()), later(message()), later(message()), later(message()),
                later(message()), broken).toString())
                .post("/v1/batches").then().statusCode(202).body("accepted", equalTo(5))
                .header("RateLimit-Limit", "5").header("RateLimit-Remaining", "0");
        // A full second's sends again: refused whole until the bucket has refilled (each try comes well within a second,
        // except on a machine so loaded that it does not: then the next one does).
        ObjectNode full = batch(later(message()), later(message()), later(message()), later(message()), later(message()));
        int accepted = 1;
        Response refused = null;
        for (int attempt = 0; attempt < 10 && refused == null; attempt++) {
            Response answer = TestKeys.withKey(shop.apiKey()).body(full.toString()).post("/v1/batches");
            if (answer.statusCode() == 202) {
                accepted++;
            } else {
                refused = answer;
            }
        }
        assertThat(refused).as("a batch refused by the rate limit").isNotNull();
        refused.then().statusCode(429).contentType("application/problem+json")
                .header("Retry-After", notNullValue()).body("detail", containsString("nothing was stored"));
        TestKeys.withKey(shop.apiKey()).body(batch(message(), message(), message(), message(), message(), message()).toString())
                .post("/v1/batches").then().statusCode(429).body("detail", containsString("6 at once can never pass"));
        assertThat(rows.count("batches where consumer_id = '" + shop.id() + "'")).isEqualTo(accepted);
        assertThat(rows.count("messages where consumer_id = '" + shop.id() + "'")).isEqualTo(5L * accepted);
    }

    @Test
    void theSameKeyAndBodyGetTheSameAnswerAndAnotherBodyIsRefused() {
        ObjectNode broken = message();
        broken.remove("user_id");
        ObjectNode body = batch(later(message()), broken);
        Response first = TestKeys.consumer().header("Idempotency-Key", "batch-1").body(body.toString()).post("/v1/batches");
        first.then().statusCode(202).header("Idempotent-Replayed", nullValue());
        Response again = TestKeys.consumer().header("Idempotency-Key", "batch-1").body(body.toString()).post("/v1/batches");
        again.then().statusCode(202).header("Idempotent-Replayed", "true")
                .header("Location", endsWith("/v1/batches/" + first.path("id")));
        assertThat(again.asString()).isEqualTo(first.asString());
        assertThat(rows.count("batches")).isEqualTo(1);
        assertThat(rows.count("messages")).isEqualTo(1);

        TestKeys.consumer().header("Idempotency-Key", "batch-1").body(batch(later(message())).toString()).post("/v1/batches")
                .then().statusCode(422).contentType("application/problem+json").body("type", endsWith("idempotency-key-reused"));
        assertThat(rows.count("batches")).isEqualTo(1);
        assertThat(rows.count("messages")).isEqualTo(1);
    }

    @Test
    void anotherConsumersBatchIsNotFound() {
        String batchId = send(batch(later(message()))).then().statusCode(202).extract().path("id");
        Consumers.Made stranger = Consumers.make("stranger", List.of("*"), null);
        TestKeys.withKey(stranger.apiKey()).get("/v1/batches/" + batchId).then().statusCode(404)
                .contentType("application/problem+json");
        TestKeys.withKey(stranger.apiKey()).post("/v1/batches/" + batchId + "/cancel").then().statusCode(404);
        TestKeys.consumer().get("/v1/batches/0190a0a0-0000-7000-8000-0000000000ff").then().statusCode(404);
        TestKeys.consumer().get("/v1/batches/not-an-id").then().statusCode(404);
        assertThat(rows.count("messages where status = 'SCHEDULED'")).isEqualTo(1);
    }

    @Test
    void countsFollowTheStatusesAndCancelTakesBackWhatIsStillWaiting() {
        Response answer = send(batch(later(message()), later(message()), later(message())));
        String batchId = answer.path("id");
        String first = answer.path("items[0].id");
        TestKeys.consumer().post("/v1/messages/" + first + "/cancel").then().statusCode(200);
        // One is on its way: it can no longer be taken back.
        rows.update("update messages set status = 'SUBMITTED', zalo_status = 'SUBMITTED', due_at = null where id = ?::uuid",
                (String) answer.path("items[1].id"));

        TestKeys.consumer().get("/v1/batches/" + batchId).then().statusCode(200)
                .body("counts.SCHEDULED", equalTo(1)).body("counts.CANCELLED", equalTo(1)).body("counts.SUBMITTED", equalTo(1))
                .body("counts.DELIVERED", equalTo(0))
                .body("items.find { it.index == 0 }.status", equalTo("CANCELLED"));

        TestKeys.consumer().post("/v1/batches/" + batchId + "/cancel").then().statusCode(200)
                .body("id", equalTo(batchId)).body("cancelled", equalTo(1));
        TestKeys.consumer().post("/v1/batches/" + batchId + "/cancel").then().statusCode(200).body("cancelled", equalTo(0));
        Map<String, Long> statuses = rows.query("select status, count(*) as n from messages where batch_id = ?::uuid group by status", batchId)
                .stream().collect(Collectors.toMap(row -> (String) row.get("status"), row -> ((Number) row.get("n")).longValue()));
        assertThat(statuses).containsExactlyInAnyOrderEntriesOf(Map.of("CANCELLED", 2L, "SUBMITTED", 1L));
        // The batch's cancels tell the consumer as any cancel does: a status callback each (none here: no callback URL).
    }

    @Test
    void aBatchsMessagesAreDispatchedAsMessagesSentAlone() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"CodeResult\": \"100\", \"CountRegenerate\": 0, \"SMSID\": \"sms-{{jsonPath request.body '$.RequestId'}}\"}")
                .withTransformers("response-template")));
        Response answer = send(batch(message(), message().put("user_id", "5830123456790")));
        answer.then().statusCode(202).body("accepted", equalTo(2));
        String one = answer.path("items[0].id");
        String two = answer.path("items[1].id");
        awaitStatus(one, "SUBMITTED").then().body("provider_message_id", equalTo("sms-" + one)).body("batch_id", equalTo(answer.path("id")));
        awaitStatus(two, "SUBMITTED");
        Set<String> requestIds = esms.findAll(postRequestedFor(urlEqualTo(EsmsStub.SEND))).stream().map(Messages::requestId)
                .collect(Collectors.toSet());
        assertThat(requestIds).containsExactlyInAnyOrder(one, two);
        TestKeys.consumer().get("/v1/batches/" + answer.path("id")).then().statusCode(200).body("counts.SUBMITTED", equalTo(2));
    }
}
