package vn.zalogateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import vn.zalogateway.support.EsmsLatencyStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.TestDatabase;

/**
 * Fault: SIGTERM (what Kubernetes sends after the preStop pause) while a request is in flight. The packaged
 * gateway lets the one in flight finish (its journey created and stored, 201), still serves a request that
 * arrives meanwhile but closes its connection (Quarkus 3.33 answers rather than refusing with 503, so a client
 * reconnects, through the Service, to another replica), then exits.
 */
@Tag("faults")
class GracefulShutdownFaultIT {

    /** How long eTelecom takes to create the journey: within the gateway's timeouts, long enough to be caught in flight. */
    static final long ETELECOM_MILLIS = 3_000;

    @Test
    void requestsInFlightFinishAndNewOnesAreServedOnAClosingConnection() throws Exception {
        TestDatabase.recreateMigrated(GatewayDatabase.DB); // as the migration Job leaves it
        Vertx vertx = Vertx.vertx();
        CompletableFuture<Void> etelecomCalled = new CompletableFuture<>();
        HttpServer etelecom = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            etelecomCalled.complete(null);
            vertx.setTimer(ETELECOM_MILLIS, id -> request.response().putHeader("Content-Type", "application/json")
                    .end(EtelecomStub.CREATED_JOURNEY));
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        try {
            Map<String, String> environment = new HashMap<>(GatewayProcess.environment(new EsmsLatencyStub(vertx, 1)));
            environment.put("QUARKUS_REST_CLIENT_ETELECOM_URL", "http://127.0.0.1:" + etelecom.actualPort() + EtelecomStub.BASE_PATH);
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            try (GatewayProcess gateway = new GatewayProcess(environment, GatewayProcess.logFile("fault-graceful-shutdown.log").toPath())) {
                CompletableFuture<HttpResponse<String>> inFlight = http.sendAsync(HttpRequest.newBuilder(
                        URI.create(gateway.baseUrl() + "/v1/journeys")).header("Authorization", "Bearer " + GatewayProcess.API_KEY)
                        .header("Content-Type", "application/json").timeout(Duration.ofSeconds(30))
                        .POST(HttpRequest.BodyPublishers.ofString(EtelecomStub.journeyRequest("3041812345605770721", "0912345678", null)))
                        .build(), HttpResponse.BodyHandlers.ofString());
                etelecomCalled.get(10, TimeUnit.SECONDS);

                ProcessHandle process = ProcessHandle.of(gateway.pid()).orElseThrow();
                assertThat(process.destroy()).as("SIGTERM sent").isTrue();

                HttpRequest another = HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/journeys"))
                        .header("Authorization", "Bearer " + GatewayProcess.API_KEY).timeout(Duration.ofSeconds(2)).build();
                HttpResponse<Void> duringShutdown = await().atMost(Duration.ofMillis(ETELECOM_MILLIS - 500))
                        .pollInterval(Duration.ofMillis(20)).until(() -> answer(http, another), answer -> answer != null
                                && answer.headers().firstValue("connection").filter("close"::equalsIgnoreCase).isPresent());
                assertThat(duringShutdown.statusCode()).as("a request arriving during the shutdown is served").isEqualTo(200);
                assertThat(inFlight).as("the journey request is still in flight").isNotDone();
                assertThat(process.isAlive()).isTrue();

                HttpResponse<String> finished = inFlight.get(15, TimeUnit.SECONDS);
                assertThat(finished.statusCode()).as(finished.body()).isEqualTo(201);
                assertThat(GatewayDatabase.count("select count(*) from journeys where journey_id = '1260521234558967296'"))
                        .as("its journey stored").isOne();
                assertThat(process.onExit().get(25, TimeUnit.SECONDS).isAlive()).as("then the gateway exits").isFalse();
            }
        } finally {
            etelecom.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The answer to a request, or null when none came (a connection closed under it). */
    private static HttpResponse<Void> answer(HttpClient http, HttpRequest request) throws InterruptedException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException noAnswer) {
            return null;
        }
    }
}
