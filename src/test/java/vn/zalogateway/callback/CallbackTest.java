package vn.zalogateway.callback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.awaitility.Awaitility;
import org.jboss.logmanager.ExtLogRecord;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import vn.zalogateway.common.audit.Audit;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.StandardWebhooks;
import vn.zalogateway.support.TestKeys;

/** Status callbacks over real HTTP to a receiver in the test: signed, retried with the same id, in order. */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class CallbackTest {

    static final String OA = "3041812345605770721";
    static final Duration PATIENCE = Duration.ofSeconds(15);

    /** What a receiver got: the three Standard Webhooks headers and the body. */
    record Received(String id, String timestamp, String signature, String body, Instant at) {
        JsonObject json() {
            return new JsonObject(body);
        }
    }

    /** A receiver answering with the next scripted status (then 200), after a delay when asked. */
    static final class Receiver {
        final List<Received> received = new CopyOnWriteArrayList<>();
        final ConcurrentLinkedQueue<Integer> script = new ConcurrentLinkedQueue<>();
        final List<String> hosts = new CopyOnWriteArrayList<>();
        volatile long delayMillis;
        HttpServer server;

        String url() {
            return "http://127.0.0.1:" + server.actualPort() + "/zalo-events";
        }
    }

    @InjectWireMock
    WireMockServer etelecom;

    @InjectEsms
    WireMockServer esms;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ScriptedResolver resolver;

    Vertx vertx;
    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("callback_events", "receipts", "charges", "oa_quotas", "messages", "journeys", "idempotency_keys");
        esms.resetAll();
        etelecom.resetAll();
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"CodeResult\": \"100\", \"SMSID\": \"sms-{{jsonPath request.body '$.RequestId'}}\"}")
                .withTransformers("response-template")));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(EtelecomStub.CREATED_JOURNEY)));
        vertx = Vertx.vertx();
    }

    @AfterEach
    void close() {
        resolver.forget("localhost");
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    Receiver receiver() {
        return receiver("127.0.0.1", 0);
    }

    Receiver receiver(String address, int port) {
        Receiver receiver = new Receiver();
        receiver.server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            receiver.received.add(new Received(request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
                    request.getHeader("webhook-signature"), body.toString(StandardCharsets.UTF_8), Instant.now()));
            receiver.hosts.add(request.getHeader("Host"));
            Integer status = receiver.script.poll();
            vertx.setTimer(Math.max(1, receiver.delayMillis),
                    timer -> request.response().setStatusCode(status == null ? 200 : status).end());
        })).listen(port, address).toCompletionStage().toCompletableFuture().join();
        return receiver;
    }

    /** Verifies a signature as a receiver would, written from the Standard Webhooks specification. */
    static boolean signedBy(String secret, Received received) {
        return StandardWebhooks.verify(secret, received.id(), received.timestamp(), received.body(), received.signature());
    }

    /** What the receiver got, once it is what {@code until} waits for (within {@link #PATIENCE}). */
    static List<Received> await(Receiver receiver, Predicate<List<Received>> until) {
        List<List<Received>> got = new ArrayList<>();
        Awaitility.await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
            List<Received> now = new ArrayList<>(receiver.received);
            assertThat(until.test(now)).as("the receiver got only %d: %s", now.size(), now).isTrue();
            got.add(now);
        });
        return got.get(0);
    }

    @Test
    void everyStatusChangeOfAMessageArrivesSignedAndInOrder() throws Exception {
        Receiver receiver = receiver();
        Consumers.Made shop = Consumers.make("callbacks", List.of(OA), receiver.url());
        String id = TestKeys.withKey(shop.apiKey()).body(Messages.message().toString()).post("/v1/messages")
                .then().statusCode(202).extract().path("id");
        Messages.awaitStatus(id, shop.apiKey(), "SUBMITTED");
        for (String receipt : List.of("""
                {"status": "success", "requestId": "sms-%s", "code": 0, "cost": {"currency": "VND", "originalPrice": 300}}""",
                """
                {"status": "delivered", "requestId": "sms-%s", "code": 17003}""")) {
            given().contentType(ContentType.JSON).body(receipt.formatted(id)).post("/v1/webhooks/nxcloud/test-nxcloud-secret")
                    .then().statusCode(200);
        }

        List<Received> got = await(receiver, all -> all.size() >= 3);
        Awaitility.await().during(Duration.ofMillis(300)).atMost(Duration.ofMillis(1300)).untilAsserted(() ->
                assertThat(receiver.received).as("exactly the changes of the message's life").hasSize(3));
        assertThat(got).extracting(r -> r.json().getJsonObject("data").getString("status"))
                .containsExactly("SUBMITTED", "SENT", "DELIVERED");
        assertThat(got).extracting(r -> r.json().getJsonObject("data").getInteger("sequence")).containsExactly(1, 2, 3);
        for (Received received : got) {
            assertThat(signedBy(shop.callbackSecret(), received)).as("signature of " + received.id()).isTrue();
            assertThat(Long.parseLong(received.timestamp())).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.api.Assertions.within(30L));
        }
        JsonObject delivered = got.get(2).json();
        assertThat(delivered.getString("type")).isEqualTo("message.status_changed");
        assertThat(delivered.getString("timestamp")).endsWith("+07:00");
        JsonObject data = delivered.getJsonObject("data");
        assertThat(data.getString("id")).isEqualTo(id);
        assertThat(data.getString("previous_status")).isEqualTo("SENT");
        assertThat(data.getString("oa_id")).isEqualTo(OA);
        assertThat(data.getString("ext")).isEqualTo("order-123");
        assertThat(data.getString("provider_message_id")).isEqualTo("sms-" + id);
        assertThat(data.getJsonObject("cost").getString("currency")).isEqualTo("VND");
        assertThat(data.getString("occurred_at")).endsWith("+07:00");

        TestKeys.withKey(shop.apiKey()).get("/v1/callbacks").then().statusCode(200)
                .body("items.size()", equalTo(3)).body("items[0].id", equalTo(got.get(2).id()))
                .body("items[0].status", equalTo("DELIVERED")).body("items[0].last_status_code", equalTo(200));
        TestKeys.consumer().get("/v1/callbacks").then().body("items.size()", equalTo(0));
    }

    @Test
    void aFailedAttemptIsRetriedWithTheSameIdUntilItIsTakenOrGivenUp() throws Exception {
        Receiver receiver = receiver();
        receiver.script.add(500);
        receiver.script.add(503);
        Consumers.Made shop = Consumers.make("retries", List.of(OA), receiver.url());
        TestKeys.withKey(shop.apiKey()).body(EtelecomStub.journeyRequest(OA, "0912345678", null)).post("/v1/journeys")
                .then().statusCode(201);

        List<Received> got = await(receiver, all -> all.size() >= 3);
        assertThat(got).extracting(Received::id).as("the same webhook-id on every attempt").containsOnly(got.get(0).id());
        assertThat(got.get(0).body()).as("the same body on every attempt").isEqualTo(got.get(2).body());
        assertThat(got.get(0).json().getString("type")).isEqualTo("journey.status_changed");
        assertThat(got.get(0).json().getJsonObject("data").getString("status")).isEqualTo("NEW");
        assertThat(got.get(0).json().getJsonObject("data").getString("previous_status")).isEqualTo("PENDING");
        for (Received received : got) {
            assertThat(signedBy(shop.callbackSecret(), received)).isTrue();
        }
        // every attempt is kept with its answer, for the console's timeline
        Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertThat(
                rows.query("select attempt, status_code from callback_attempts where event_id = ?::uuid order by attempt", got.get(0).id()))
                .extracting(row -> row.get("attempt") + ":" + row.get("status_code")).containsExactly("1:500", "2:503", "3:200"));

        // A receiver that is gone: every attempt refused, then FAILED, and sent again on request.
        int port = receiver.server.actualPort();
        receiver.server.close().toCompletionStage().toCompletableFuture().join();
        TestKeys.withKey(shop.apiKey()).body(EtelecomStub.journeyRequest(OA, "0912345679", null)).post("/v1/journeys")
                .then().statusCode(201);
        String failed = awaitDelivery(shop.apiKey(), "FAILED");
        TestKeys.withKey(shop.apiKey()).get("/v1/callbacks?status=FAILED").then()
                .body("items[0].attempts", equalTo(4)).body("items[0].last_error", org.hamcrest.Matchers.containsString("Connect"));
        Receiver back = new Receiver();
        back.server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            back.received.add(new Received(request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
                    request.getHeader("webhook-signature"), body.toString(StandardCharsets.UTF_8), Instant.now()));
            request.response().end();
        })).listen(port, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        TestKeys.withKey(shop.apiKey()).post("/v1/callbacks/" + failed + "/redeliver").then().statusCode(202);
        assertThat(await(back, all -> !all.isEmpty()).get(0).id()).isEqualTo(failed);
        TestKeys.consumer().post("/v1/callbacks/" + failed + "/redeliver").then().statusCode(404); // another consumer's
    }

    /** No answer within the timeout (1 s in tests) is a failed attempt like any other: tried again, same id. */
    @Test
    void aReceiverThatDoesNotAnswerInTimeGetsTheCallbackAgain() throws Exception {
        Receiver receiver = receiver();
        receiver.delayMillis = 2_500;
        Consumers.Made shop = Consumers.make("timeouts", List.of(OA), receiver.url());
        TestKeys.withKey(shop.apiKey()).body(EtelecomStub.journeyRequest(OA, "0912345678", null)).post("/v1/journeys")
                .then().statusCode(201);
        await(receiver, all -> !all.isEmpty());
        receiver.delayMillis = 1;
        List<Received> got = await(receiver, all -> all.size() >= 2);
        assertThat(got.get(1).id()).isEqualTo(got.get(0).id());
        assertThat(signedBy(shop.callbackSecret(), got.get(1))).isTrue();
        awaitDelivery(shop.apiKey(), "DELIVERED");
        TestKeys.withKey(shop.apiKey()).get("/v1/callbacks?status=DELIVERED").then()
                .body("items[0].attempts", equalTo(2));
    }

    /**
     * Behind the slow receiver's queue the fast one would wait about 10 s (24 callbacks of 0.9 s, two in flight per
     * consumer); 3 s leaves a loaded machine room and still tells the two apart.
     */
    @Test
    void aSlowReceiverDoesNotDelayAnotherConsumersCallbacks() {
        Receiver slow = receiver();
        slow.delayMillis = 900;
        Receiver fast = receiver();
        Consumers.Made patient = Consumers.make("slow", List.of(OA), slow.url());
        Consumers.Made eager = Consumers.make("fast", List.of(OA), fast.url());
        for (int i = 0; i < 24; i++) {
            TestKeys.withKey(patient.apiKey()).body(EtelecomStub.journeyRequest(OA, "09123456" + (10 + i), null))
                    .post("/v1/journeys").then().statusCode(201);
        }
        Instant sent = Instant.now();
        TestKeys.withKey(eager.apiKey()).body(EtelecomStub.journeyRequest(OA, "0987654321", null)).post("/v1/journeys")
                .then().statusCode(201);
        Received quick = await(fast, all -> !all.isEmpty()).get(0);
        long slowStillWaiting = (Long) rows.one("select count(*) as n from callback_events where consumer_id = ?::uuid "
                + "and status = 'PENDING'", patient.id()).get("n");
        assertThat(Duration.between(sent, quick.at())).as("not behind the slow receiver's queue").isLessThan(Duration.ofSeconds(3));
        assertThat(slowStillWaiting).as("the slow receiver still had callbacks to take meanwhile").isPositive();
    }

    /** The id of the consumer's newest callback with this status, once there is one (within {@link #PATIENCE}). */
    String awaitDelivery(String apiKey, String status) {
        List<String> ids = Awaitility.await().alias("a callback becomes " + status).atMost(PATIENCE).pollDelay(Duration.ZERO)
                .until(() -> TestKeys.withKey(apiKey).get("/v1/callbacks?status=" + status).then().statusCode(200)
                        .extract().<List<String>>path("items.id"), found -> !found.isEmpty());
        return ids.get(0);
    }

    /**
     * DNS rebinding: the callback connects to the address its host was looked up at, once per attempt, never to a
     * second lookup. "localhost" is 127.0.0.1 for everyone else (where a receiver waits that must get nothing);
     * the gateway's lookup answers 127.0.0.2, and that receiver gets the callback, with the URL's Host.
     */
    @Test
    void aCallbackGoesToTheAddressItsHostWasLookedUpAtAndNowhereElse() {
        Receiver secondLookup = receiver();
        int port = secondLookup.server.actualPort();
        Receiver pinned = receiver("127.0.0.2", port);
        resolver.answer("localhost", "127.0.0.2");
        Consumers.Made shop = Consumers.make("pinned", List.of(OA), "http://localhost:" + port + "/zalo-events");
        TestKeys.withKey(shop.apiKey()).body(EtelecomStub.journeyRequest(OA, "0912345678", null)).post("/v1/journeys")
                .then().statusCode(201);

        Awaitility.await().atMost(PATIENCE).until(() -> pinned.received.size() == 1);
        assertThat(pinned.hosts).containsExactly("localhost:" + port);
        assertThat(signedBy(shop.callbackSecret(), pinned.received.get(0))).isTrue();
        assertThat(resolver.asked("localhost")).as("one lookup for the one attempt").isEqualTo(1);
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> secondLookup.received.isEmpty());
        assertThat(awaitDelivery(shop.apiKey(), "DELIVERED")).isEqualTo(pinned.received.get(0).id());
    }

    /**
     * A receiver that answers 200 and then streams a body without end: the status is the outcome, the body is not
     * read past its cap (the connection is closed at once, not at the timeout), and nothing is tried again.
     */
    @Test
    void anEndlessAnswerIsCutAtItsCapAndTheDeliveryRecorded() {
        AtomicLong written = new AtomicLong();
        AtomicBoolean closed = new AtomicBoolean();
        AtomicLong requests = new AtomicLong();
        AtomicLong streamedFor = new AtomicLong();
        HttpServer endless = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            requests.incrementAndGet();
            long started = System.nanoTime();
            HttpServerResponse response = request.response().setStatusCode(200).setChunked(true);
            response.closeHandler(gone -> {
                streamedFor.set(System.nanoTime() - started);
                closed.set(true);
            });
            stream(response, written, closed);
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
        Consumers.Made shop = Consumers.make("endless", List.of(OA), "http://127.0.0.1:" + endless.actualPort() + "/zalo-events");
        TestKeys.withKey(shop.apiKey()).body(EtelecomStub.journeyRequest(OA, "0912345678", null)).post("/v1/journeys")
                .then().statusCode(201);

        awaitDelivery(shop.apiKey(), "DELIVERED");
        TestKeys.withKey(shop.apiKey()).get("/v1/callbacks").then().statusCode(200)
                .body("items[0].status", equalTo("DELIVERED")).body("items[0].attempts", equalTo(1))
                .body("items[0].last_status_code", equalTo(200));
        Awaitility.await().atMost(Duration.ofSeconds(2)).untilTrue(closed);
        assertThat(Duration.ofNanos(streamedFor.get())).as("cut at the cap, not held to the 1 s timeout")
                .isLessThan(Duration.ofMillis(500));
        assertThat(written.get()).as("bytes the receiver got out: the cap and the sockets' buffers").isLessThan(16L << 20);
        assertThat(requests.get()).isEqualTo(1);
    }

    /** Writes 16 KiB chunks for as long as the connection is open, as fast as the gateway takes them. */
    private static void stream(HttpServerResponse response, AtomicLong written, AtomicBoolean closed) {
        Buffer chunk = Buffer.buffer(new byte[16 * 1024]);
        while (!closed.get() && !response.writeQueueFull()) {
            response.write(chunk);
            written.addAndGet(chunk.length());
        }
        if (!closed.get()) {
            response.drainHandler(ready -> stream(response, written, closed));
        }
    }

    /** Redeliver while the callback is being sent: no second request (and the attempt's outcome is kept); after it, one. */
    @Test
    void aRedeliveryOfACallbackBeingSentDoesNotSendItTwice() {
        Receiver receiver = receiver();
        receiver.delayMillis = 700; // within the 1 s timeout
        Consumers.Made shop = Consumers.make("in-flight", List.of(OA), receiver.url());
        List<String> audit = auditLines();
        TestKeys.withKey(shop.apiKey()).body(EtelecomStub.journeyRequest(OA, "0912345678", null)).post("/v1/journeys")
                .then().statusCode(201);
        Awaitility.await().atMost(PATIENCE).until(() -> receiver.received.size() == 1);
        String id = receiver.received.get(0).id();

        TestKeys.withKey(shop.apiKey()).post("/v1/callbacks/" + id + "/redeliver").then().statusCode(202);

        Awaitility.await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> receiver.received.size() == 1);
        TestKeys.withKey(shop.apiKey()).get("/v1/callbacks").then()
                .body("items[0].status", equalTo("DELIVERED")).body("items[0].attempts", equalTo(1));
        assertThat(audit).as("nothing was redelivered").noneMatch(line -> line.contains(id));

        receiver.delayMillis = 1;
        TestKeys.withKey(shop.apiKey()).post("/v1/callbacks/" + id + "/redeliver").then().statusCode(202);
        Awaitility.await().atMost(PATIENCE).until(() -> receiver.received.size() == 2);
        assertThat(receiver.received.get(1).id()).isEqualTo(id);
        assertThat(audit).containsExactly("audit actor=consumer:" + shop.name() + " action=callback.redelivered subject=" + id);
    }

    /** A consumer may ask for 5 redeliveries a minute in tests (30 by default): then 429 with Retry-After. */
    @Test
    void redeliveriesAreLimitedPerConsumer() {
        Receiver receiver = receiver();
        Consumers.Made shop = Consumers.make("redeliveries", List.of(OA), receiver.url());
        TestKeys.withKey(shop.apiKey()).body(EtelecomStub.journeyRequest(OA, "0912345678", null)).post("/v1/journeys")
                .then().statusCode(201);
        String id = awaitDelivery(shop.apiKey(), "DELIVERED");

        for (int i = 0; i < 5; i++) {
            TestKeys.withKey(shop.apiKey()).post("/v1/callbacks/" + id + "/redeliver").then().statusCode(202);
        }
        String retryAfter = TestKeys.withKey(shop.apiKey()).post("/v1/callbacks/" + id + "/redeliver").then().statusCode(429)
                .contentType("application/problem+json").body("type", endsWith("rate-limited"))
                .body("detail", containsString("5 per minute"))
                .extract().header("Retry-After");
        assertThat(Long.parseLong(retryAfter)).isBetween(1L, 60L);
        // Another consumer has its own limit.
        Consumers.Made other = Consumers.make("redeliveries-other", List.of(OA), null);
        TestKeys.withKey(other.apiKey()).post("/v1/callbacks/" + id + "/redeliver").then().statusCode(404);
    }

    /** The audit lines written from now on in this test (the audit category, as a log pipeline sees it). */
    List<String> auditLines() {
        List<String> lines = new CopyOnWriteArrayList<>();
        Logger logger = Logger.getLogger(Audit.CATEGORY);
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                lines.add(record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage());
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        logger.addHandler(handler);
        auditHandlers.add(handler);
        return lines;
    }

    final List<Handler> auditHandlers = new ArrayList<>();

    @AfterEach
    void stopAuditing() {
        auditHandlers.forEach(Logger.getLogger(Audit.CATEGORY)::removeHandler);
    }
}
