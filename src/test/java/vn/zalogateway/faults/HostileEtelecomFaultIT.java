package vn.zalogateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import vn.zalogateway.support.EsmsLatencyStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.HostileUpstream;
import vn.zalogateway.support.TestDatabase;

/**
 * Fault: eTelecom turns hostile (hangs, resets connections, answers 500, 429, an HTML page, truncated
 * JSON, a 10 MB 200) under the packaged gateway. Each journey request ends in bounded time with a
 * 502/504 problem and a FAILED attempt kept; the gateway stays live; once eTelecom heals (and the
 * circuit, if it opened, closes) journeys are created again.
 */
@Tag("faults")
class HostileEtelecomFaultIT {

    @Test
    void journeyFailuresAreBoundedAndClearAndTheGatewayRecovers() throws Exception {
        TestDatabase.recreateMigrated(GatewayDatabase.DB); // as the migration Job leaves it
        Vertx vertx = Vertx.vertx();
        Buffer huge = Buffer.buffer("{\"error_code\":0,\"journey_id\":\"" + "9".repeat(10 * 1024 * 1024) + "\"}");
        HostileUpstream etelecom = new HostileUpstream(vertx, "{\"error_code\":0,\"jour", huge,
                request -> EtelecomStub.CREATED_JOURNEY);
        try {
            Map<String, String> environment = new HashMap<>(GatewayProcess.environment(new EsmsLatencyStub(vertx, 1)));
            environment.put("QUARKUS_REST_CLIENT_ETELECOM_URL", "http://127.0.0.1:" + etelecom.port() + EtelecomStub.BASE_PATH);
            environment.put("VN_ZALOGATEWAY_PROVIDER_ETELECOM_ETELECOMCLIENT_CREATEJOURNEY_TIMEOUT_VALUE", "1000");
            environment.put("QUARKUS_REST_CLIENT_ETELECOM_READ_TIMEOUT", "1500");
            HttpClient http = HttpClient.newHttpClient();
            try (GatewayProcess gateway = new GatewayProcess(environment, GatewayProcess.logFile("fault-hostile-etelecom.log").toPath())) {
                List<String> report = new ArrayList<>();
                for (HostileUpstream.Mode hostile : HostileUpstream.HOSTILE) {
                    etelecom.mode = hostile;
                    long start = System.nanoTime();
                    HttpResponse<String> answer = journey(http, gateway);
                    long tookMillis = (System.nanoTime() - start) / 1_000_000;
                    assertThat(answer.statusCode()).as("%s: a clear upstream failure", hostile).isIn(502, 504);
                    assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                            assertThat(type).startsWith("application/problem+json"));
                    assertThat(tookMillis).as("%s: bounded (1 s per attempt; only a refused connection is tried again)", hostile).isLessThan(10_000);
                    HttpResponse<Void> live = http.send(HttpRequest.newBuilder(URI.create(gateway.managementUrl() + "/q/health/live"))
                            .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding());
                    assertThat(live.statusCode()).isEqualTo(200);
                    etelecom.mode = HostileUpstream.Mode.HEALTHY;
                    long healing = System.nanoTime();
                    int status = await().alias(hostile + ": journeys created again within 30 s of eTelecom healing")
                            .atMost(Duration.ofSeconds(30)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(500))
                            .until(() -> journey(http, gateway).statusCode(), created -> created == 201);
                    report.add(String.format("%-15s %d %s after %5d ms; healed, 201 %5d ms later", hostile, answer.statusCode(),
                            answer.body().replaceAll(".*\"type\":\"urn:zalo-gateway:problem:([a-z-]+)\".*", "$1"), tookMillis,
                            (System.nanoTime() - healing) / 1_000_000));
                    assertThat(status).isEqualTo(201);
                    // A second success closes a half-open circuit, so the next behaviour meets eTelecom, not the breaker.
                    assertThat(journey(http, gateway).statusCode()).isEqualTo(201);
                }
                assertThat(GatewayDatabase.count("select count(*) from journeys where status = 'FAILED'"))
                        .as("every failed attempt kept").isGreaterThanOrEqualTo(7);
                System.out.println();
                report.forEach(System.out::println);
            }
        } finally {
            etelecom.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static HttpResponse<String> journey(HttpClient http, GatewayProcess gateway) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/journeys"))
                .header("Authorization", "Bearer " + GatewayProcess.API_KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(EtelecomStub.journeyRequest("3041812345605770721", "0912345678", null)))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
