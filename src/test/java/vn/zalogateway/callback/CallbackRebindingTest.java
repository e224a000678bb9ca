package vn.zalogateway.callback;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/**
 * Private networks refused, as in production: a consumer whose host resolved to a public address when it was
 * registered and to the gateway's own networks afterwards (its DNS changed, or rebinds on purpose) gets no
 * request there, on any attempt nor on redelivery; what it reads back is the refusal, no status code. The
 * "private" receiver is real: "localhost" reaches it for everyone but the gateway's scripted lookups.
 */
@QuarkusTest
@TestProfile(CallbackRebindingTest.PrivateNetworksRefused.class)
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class CallbackRebindingTest {

    public static class PrivateNetworksRefused implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.callbacks.allow-private-networks", "false");
        }
    }

    static final String OA = "3041812345605770721";
    static final String REFUSED = "IllegalStateException: callback_url resolves to %s, an address inside the gateway's own "
            + "networks (gateway.callbacks.allow-private-networks=true allows it)";

    @Inject
    ScriptedResolver resolver;

    @Inject
    AgroalDataSource dataSource;

    @InjectWireMock
    WireMockServer etelecom;

    Vertx vertx;
    HttpServer inside;
    final List<String> reachedInside = new CopyOnWriteArrayList<>();

    @BeforeEach
    void receiverInside() {
        new Rows(dataSource).clear("callback_events", "receipts", "messages", "journeys", "idempotency_keys");
        etelecom.resetAll();
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(EtelecomStub.CREATED_JOURNEY)));
        vertx = Vertx.vertx();
        inside = vertx.createHttpServer().requestHandler(request -> {
            reachedInside.add(request.uri());
            request.response().end();
        }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().join();
    }

    @AfterEach
    void close() {
        resolver.forget("localhost");
        vertx.close().toCompletionStage().toCompletableFuture().join();
    }

    @Test
    void aHostThatResolvesInsideAfterRegistrationGetsNoCallbackThere() {
        // Public when registered; then 10.0.0.1, the metadata address, and loopback (where a receiver listens).
        resolver.answer("localhost", "203.0.113.10", "10.0.0.1", "169.254.169.254", "127.0.0.1");
        Consumers.Made shop = Consumers.make("rebinding", List.of(OA), "http://localhost:" + inside.actualPort() + "/zalo-events");
        assertThat(resolver.asked("localhost")).as("registration looked it up").isEqualTo(1);
        TestKeys.withKey(shop.apiKey()).body(EtelecomStub.journeyRequest(OA, "0912345678", null)).post("/v1/journeys")
                .then().statusCode(201);

        // Four attempts (the test schedule), each looked up once and refused before any connection.
        String id = await().atMost(Duration.ofSeconds(15)).until(() -> failedDelivery(shop.apiKey()), found -> found != null);
        TestKeys.withKey(shop.apiKey()).get("/v1/callbacks?status=FAILED").then().statusCode(200)
                .body("items[0].attempts", equalTo(4)).body("items[0].last_status_code", nullValue())
                .body("items[0].last_error", equalTo(REFUSED.formatted("127.0.0.1")));
        assertThat(new Rows(dataSource).query("select error from callback_attempts where event_id = ?::uuid order by attempt", id))
                .extracting(row -> (String) row.get("error"))
                .containsExactly(REFUSED.formatted("10.0.0.1"), REFUSED.formatted("169.254.169.254"), REFUSED.formatted("127.0.0.1"),
                        REFUSED.formatted("127.0.0.1"));
        assertThat(resolver.asked("localhost")).isEqualTo(5);

        // Redelivery is one more attempt like the others.
        TestKeys.withKey(shop.apiKey()).post("/v1/callbacks/" + id + "/redeliver").then().statusCode(202);
        await().atMost(Duration.ofSeconds(10)).until(() -> resolver.asked("localhost") == 6);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> TestKeys.withKey(shop.apiKey()).get("/v1/callbacks").then()
                .body("items[0].status", equalTo("FAILED")).body("items[0].attempts", equalTo(5)));
        assertThat(reachedInside).as("requests that reached the receiver inside").isEmpty();
    }

    @Test
    void aHostThatResolvesInsideIsRefusedAtRegistration() {
        resolver.answer("localhost", "169.254.169.254");
        TestKeys.admin().body("{\"name\": \"metadata-shop\", \"oa_ids\": [\"" + OA + "\"], \"callback_url\": \"http://localhost:"
                + inside.actualPort() + "/zalo-events\"}").post("/v1/admin/consumers")
                .then().statusCode(400).body(containsString("resolves to 169.254.169.254"));
        assertThat(reachedInside).isEmpty();
    }

    private static String failedDelivery(String apiKey) {
        List<String> ids = TestKeys.withKey(apiKey).get("/v1/callbacks?status=FAILED").then().statusCode(200).extract().path("items.id");
        return ids.isEmpty() ? null : ids.get(0);
    }
}
