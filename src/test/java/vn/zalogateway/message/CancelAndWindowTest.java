package vn.zalogateway.message;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/**
 * Taking a message back (exactly one of the cancel and the dispatcher's claim wins), and send windows in Vietnam's
 * time: a message due outside its window (its own, or its consumer's default) waits for the window's opening, which
 * due_at shows, and is never handed to a provider before.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class CancelAndWindowTest {

    static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    static final DateTimeFormatter HH_MM = DateTimeFormatter.ofPattern("HH:mm");

    @InjectEsms
    WireMockServer esms;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Vertx vertx;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("callback_events", "receipts", "charges", "oa_quotas", "messages", "journeys", "idempotency_keys");
        rows.update("update consumers set callback_url = 'http://127.0.0.1:9/events' where id = ?::uuid", Messages.DEFAULT_CONSUMER);
        esms.resetAll();
        circuitBreakers.resetAll();
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"CodeResult\": \"100\", \"SMSID\": \"sms-{{jsonPath request.body '$.RequestId'}}\"}")
                .withTransformers("response-template")));
    }

    @AfterEach
    void restoreConsumer() {
        rows.update("update consumers set callback_url = null, send_window_from = null, send_window_to = null where id = ?::uuid",
                Messages.DEFAULT_CONSUMER);
    }

    List<String> sentRequestIds() {
        return esms.findAll(postRequestedFor(urlEqualTo(EsmsStub.SEND))).stream().map(Messages::requestId).toList();
    }

    // --- Cancel -------------------------------------------------------------------------------------------------

    @Test
    void aScheduledMessageIsTakenBackOnceAndNeverSent() {
        String id = Messages.send(Messages.message().put("send_at", Messages.inVietnam(Duration.ofHours(1))));
        TestKeys.consumer().post("/v1/messages/" + id + "/cancel").then().statusCode(200)
                .body("id", equalTo(id)).body("status", equalTo("CANCELLED")).body("due_at", equalTo(null));
        TestKeys.consumer().post("/v1/messages/" + id + "/cancel").then().statusCode(200).body("status", equalTo("CANCELLED"));
        assertThat(rows.query("select data->>'status' as status, data->>'previous_status' as previous from callback_events "
                + "where subject_id = ?::uuid", id)).as("the consumer is told, once")
                .containsExactly(Map.of("status", "CANCELLED", "previous", "SCHEDULED"));

        // Even when its time comes, nothing goes.
        rows.update("update messages set send_at = now() where id = ?::uuid", id);
        FreshContext.run(vertx, dispatcher::drain).await().atMost(Duration.ofSeconds(10));
        assertThat(sentRequestIds()).isEmpty();
        TestKeys.consumer().get("/v1/messages?status=CANCELLED").then().statusCode(200).body("items.id", containsInAnyOrder(id));
    }

    @Test
    void aMessageClaimedOrSentIsNotCancellable() {
        String sent = Messages.send(Messages.message());
        Messages.awaitStatus(sent, "SUBMITTED");
        TestKeys.consumer().post("/v1/messages/" + sent + "/cancel").then().statusCode(409)
                .contentType("application/problem+json").body("type", endsWith("not-cancellable")).body("status", equalTo(409));

        // Claimed by a live dispatcher (its lease runs), not yet answered.
        String claimed = "0190a0a0-0000-7000-8000-0000000000c1";
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, attempts, "
                + "due_at, lease_until, created_at, updated_at) values (?::uuid, ?::uuid, ?, ?, 'transaction_order', 'VI', '{}', 'ACCEPTED', 1, "
                + "now(), now() + interval '1 hour', now(), now())", Messages.DEFAULT_CONSUMER, claimed, Long.parseLong(Messages.OA_ID),
                Messages.USER_ID);
        TestKeys.consumer().post("/v1/messages/" + claimed + "/cancel").then().statusCode(409).body("type", endsWith("not-cancellable"));
        assertThat(rows.one("select status from messages where id = ?::uuid", claimed)).containsEntry("status", "ACCEPTED");
    }

    @Test
    void anotherConsumersMessageOrNoneIsNotFound() {
        String id = Messages.send(Messages.message().put("send_at", Messages.inVietnam(Duration.ofHours(1))));
        Consumers.Made stranger = Consumers.make("stranger", List.of(Messages.OA_ID), null);
        TestKeys.withKey(stranger.apiKey()).post("/v1/messages/" + id + "/cancel").then().statusCode(404);
        TestKeys.consumer().post("/v1/messages/0190a0a0-0000-7000-8000-0000000000ff/cancel").then().statusCode(404);
        TestKeys.consumer().post("/v1/messages/not-an-id/cancel").then().statusCode(404);
        assertThat(rows.one("select status from messages where id = ?::uuid", id)).containsEntry("status", "SCHEDULED");
    }

    /**
     * Cancels racing the dispatcher's rounds over the same messages: each message is either cancelled and never sent,
     * or claimed and sent (its cancel answered 409), never both, never neither.
     */
    @Test
    void aCancelAndTheDispatchersClaimNeverBothWin() throws Exception {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"CodeResult\": \"100\", \"SMSID\": \"sms-{{jsonPath request.body '$.RequestId'}}\"}")
                .withTransformers("response-template").withFixedDelay(30)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(Messages.send(Messages.message().put("send_at", Messages.inVietnam(Duration.ofHours(1)))));
        }
        // All due at once; cancels and rounds start together.
        rows.update("update messages set due_at = now(), send_at = now() where status = 'SCHEDULED'");
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Integer>> cancels = new ArrayList<>();
        try {
            List<Uni<Integer>> rounds = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                rounds.add(FreshContext.run(vertx, dispatcher::drain));
            }
            CompletableFuture<List<Integer>> drained = Uni.join().all(rounds).andCollectFailures().subscribeAsCompletionStage();
            for (String id : ids) {
                cancels.add(CompletableFuture.supplyAsync(() -> TestKeys.consumer().post("/v1/messages/" + id + "/cancel").statusCode(), pool));
            }
            drained.get();
        } finally {
            pool.shutdown();
        }
        await().atMost(Messages.PATIENCE).untilAsserted(() -> assertThat(rows.count("messages where status not in ('CANCELLED', 'SUBMITTED')"))
                .as("every message settled").isZero());
        List<String> sent = sentRequestIds();
        for (int i = 0; i < ids.size(); i++) {
            String id = ids.get(i);
            int answer = cancels.get(i).get();
            String status = (String) rows.one("select status from messages where id = ?::uuid", id).get("status");
            if (answer == 200) {
                assertThat(status).as("%s cancelled", id).isEqualTo("CANCELLED");
                assertThat(sent).as("%s cancelled, so never sent", id).doesNotContain(id);
            } else {
                assertThat(answer).as("%s: the claim won", id).isEqualTo(409);
                assertThat(status).isEqualTo("SUBMITTED");
                assertThat(sent).as("%s sent once", id).containsOnlyOnce(id);
            }
        }
    }

    // --- Send windows -------------------------------------------------------------------------------------------

    /** A window opening an hour after {@code now} (to the minute) and closing an hour later: now is outside it. */
    static ObjectNode laterWindow(ObjectNode message, ZonedDateTime now) {
        message.putObject("send_window").put("from", now.plusHours(1).format(HH_MM)).put("to", now.plusHours(2).format(HH_MM));
        return message;
    }

    /** When that window opens: an hour after {@code now}, to the minute. */
    static Instant laterOpening(ZonedDateTime now) {
        return now.plusHours(1).truncatedTo(ChronoUnit.MINUTES).toInstant();
    }

    static Instant dueAt(String id) {
        return OffsetDateTime.parse(TestKeys.consumer().get("/v1/messages/" + id).then().extract().<String>path("due_at")).toInstant();
    }

    @Test
    void aMessageDueOutsideItsWindowWaitsForItsOpening() {
        ZonedDateTime now = ZonedDateTime.now(VIETNAM);
        String id = Messages.send(laterWindow(Messages.message(), now));
        TestKeys.consumer().get("/v1/messages/" + id).then().body("status", equalTo("ACCEPTED"))
                .body("send_window.from", equalTo(now.plusHours(1).format(HH_MM)));
        assertThat(dueAt(id)).isEqualTo(laterOpening(now));
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(sentRequestIds()).isEmpty());
    }

    @Test
    void theDispatcherPutsBackAMessageItFindsOutsideItsWindowWithoutCallingAnyone() {
        ZonedDateTime now = ZonedDateTime.now(VIETNAM);
        String id = Messages.send(laterWindow(Messages.message(), now));
        // Due now by some older reckoning: the dispatcher claims it, sees the window closed, and gives it back.
        rows.update("update messages set due_at = now() where id = ?::uuid", id);
        FreshContext.run(vertx, dispatcher::drain).await().atMost(Duration.ofSeconds(10));
        assertThat(sentRequestIds()).isEmpty();
        assertThat(dueAt(id)).isEqualTo(laterOpening(now));
        assertThat(rows.one("select attempts, status from messages where id = ?::uuid", id))
                .as("no attempt was made").containsEntry("attempts", 0).containsEntry("status", "ACCEPTED");
    }

    @Test
    void aWindowAcrossMidnightThatHoldsNowSendsAtOnce() {
        ZonedDateTime now = ZonedDateTime.now(VIETNAM);
        ObjectNode message = Messages.message();
        // From an hour ago to two hours ago: 23 hours long, across midnight, holding now.
        message.putObject("send_window").put("from", now.minusHours(1).format(HH_MM)).put("to", now.minusHours(2).format(HH_MM));
        Messages.awaitStatus(Messages.send(message), "SUBMITTED");
    }

    @Test
    void aConsumersDefaultWindowAppliesUnlessTheMessageHasItsOwn() {
        ZonedDateTime now = ZonedDateTime.now(VIETNAM);
        TestKeys.admin().contentType("application/json").body("{\"send_window\": {\"from\": \"" + now.plusHours(1).format(HH_MM)
                + "\", \"to\": \"" + now.plusHours(2).format(HH_MM) + "\"}}").patch("/v1/admin/consumers/" + Messages.DEFAULT_CONSUMER)
                .then().statusCode(200).body("send_window.from", equalTo(now.plusHours(1).format(HH_MM)));
        String waiting = Messages.send(Messages.message());
        assertThat(dueAt(waiting)).isEqualTo(laterOpening(now));
        TestKeys.consumer().get("/v1/messages/" + waiting).then().body("send_window.from", equalTo(now.plusHours(1).format(HH_MM)));

        ObjectNode own = Messages.message();
        own.putObject("send_window").put("from", now.minusHours(1).format(HH_MM)).put("to", now.minusHours(2).format(HH_MM));
        Messages.awaitStatus(Messages.send(own), "SUBMITTED");

        TestKeys.admin().contentType("application/json").body("{\"send_window\": null}").patch("/v1/admin/consumers/"
                + Messages.DEFAULT_CONSUMER).then().statusCode(200).body("send_window", equalTo(null));
        Messages.awaitStatus(Messages.send(Messages.message()), "SUBMITTED");
    }

    @Test
    void aWrongWindowIsNamedField() {
        ObjectNode message = Messages.message();
        message.putObject("send_window").put("from", "25:00").put("to", "7").put("zone", "UTC");
        TestKeys.consumer().body(message.toString()).post("/v1/messages").then().statusCode(400)
                .body("violations.field", containsInAnyOrder("send_window.from", "send_window.to", "send_window.zone"));
        message.putObject("send_window").put("from", "07:00").put("to", "07:00");
        TestKeys.consumer().body(message.toString()).post("/v1/messages").then().statusCode(400)
                .body("violations[0].field", equalTo("send_window"));
        TestKeys.admin().contentType("application/json").body("{\"send_window\": {\"from\": \"7h\"}}")
                .patch("/v1/admin/consumers/" + Messages.DEFAULT_CONSUMER).then().statusCode(400);
        assertThat(rows.count("messages")).isZero();
    }
}
