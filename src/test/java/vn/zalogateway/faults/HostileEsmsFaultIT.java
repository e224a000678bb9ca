package vn.zalogateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.HostileUpstream;
import vn.zalogateway.support.TestDatabase;

/**
 * Fault: eSMS turns hostile (hangs, resets connections, answers 500, 429, an HTML page, truncated
 * JSON, a 10 MB 200) while the packaged gateway dispatches. Each failure is bounded in time and
 * recorded on the message (attempts, error code) without losing it; the gateway stays live, its
 * memory stays bounded; when eSMS is healthy again, every message is submitted.
 */
@Tag("faults")
class HostileEsmsFaultIT {

    @Test
    void failuresAreBoundedRecordedAndRecoveredFrom() throws Exception {
        TestDatabase.recreateMigrated(GatewayDatabase.DB); // as the migration Job leaves it
        Vertx vertx = Vertx.vertx();
        Buffer huge = Buffer.buffer("{\"CodeResult\":\"100\",\"SMSID\":\"" + "x".repeat(10 * 1024 * 1024) + "\"}");
        HostileUpstream esms = new HostileUpstream(vertx, "{\"CodeResult\":\"10", huge, request -> {
            int start = request.indexOf("\"RequestId\":\"") + 13;
            return "{\"CodeResult\":\"100\",\"SMSID\":\"sms-" + request.substring(start, request.indexOf('"', start)) + "\"}";
        });
        try {
            Map<String, String> environment = new HashMap<>(GatewayProcess.environment(
                    "http://127.0.0.1:" + esms.port() + "/MainService.svc/json"));
            environment.put("VN_ZALOGATEWAY_PROVIDER_ESMS_ESMSCLIENT_SEND_TIMEOUT_VALUE", "1000");
            environment.put("QUARKUS_REST_CLIENT_ESMS_READ_TIMEOUT", "1500");
            environment.put("GATEWAY_DISPATCH_BACKOFF_BASE", "PT0.2S");
            environment.put("GATEWAY_DISPATCH_BACKOFF_MAX", "PT1S");
            environment.put("GATEWAY_DISPATCH_MAX_ATTEMPTS", "1000");
            String body = GatewayCalls.messageBody();
            var http = java.net.http.HttpClient.newHttpClient();
            try (GatewayProcess gateway = new GatewayProcess(environment, GatewayProcess.logFile("fault-hostile-esms.log").toPath())) {
                List<String> report = new ArrayList<>();
                for (HostileUpstream.Mode hostile : HostileUpstream.HOSTILE) {
                    GatewayDatabase.sql("truncate messages cascade");
                    esms.mode = hostile;
                    for (int i = 0; i < 5; i++) {
                        assertThat(http.send(java.net.http.HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/v1/messages"))
                                .header("Authorization", "Bearer " + GatewayProcess.API_KEY).header("Content-Type", "application/json")
                                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(202);
                    }
                    long start = System.nanoTime();
                    // Each message tried and its failure recorded within a bound (1 s per call, retries 0.2-1 s
                    // apart), or held back untried because the circuit opened (attempts are not spent on it).
                    AtomicBoolean opened = new AtomicBoolean();
                    await().alias(hostile + ": failures recorded within 15 s").atMost(Duration.ofSeconds(15)).pollDelay(Duration.ZERO)
                            .pollInterval(Duration.ofMillis(50))
                            .until(() -> {
                                if (GatewayDatabase.count("select count(*) from messages where attempts = 0 or error_code is null") == 0) {
                                    return true;
                                }
                                opened.set(circuitOpen(http, gateway));
                                return opened.get();
                            });
                    boolean circuitOpen = opened.get();
                    long failedAfter = (System.nanoTime() - start) / 1_000_000;
                    long liveMillis = timed(() -> assertThat(http.send(java.net.http.HttpRequest.newBuilder(
                            URI.create(gateway.managementUrl() + "/q/health/live")).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(200));
                    assertThat(GatewayDatabase.count("select count(*) from messages where status = 'SUBMITTED'")).isZero();
                    String errors = GatewayDatabase.sqlText("select string_agg(distinct error_code, ',') from messages");
                    double rss = GatewayProcess.rssMiB(gateway.pid());
                    // eSMS heals: the same messages go (the circuit, if open, closes after its delay).
                    esms.mode = HostileUpstream.Mode.HEALTHY;
                    long healing = System.nanoTime();
                    await().alias(hostile + ": all submitted within 30 s of eSMS healing").atMost(Duration.ofSeconds(30))
                            .pollDelay(Duration.ZERO)
                            .until(() -> GatewayDatabase.count("select count(*) from messages where status <> 'SUBMITTED'") == 0);
                    report.add(String.format("%-15s %s after %5d ms (errors %s), live in %3d ms, RSS %4.0f MiB; healed, all "
                            + "submitted %5d ms later", hostile, circuitOpen ? "circuit open" : "failures recorded", failedAfter,
                            errors, liveMillis, rss, (System.nanoTime() - healing) / 1_000_000));
                }
                assertThat(GatewayProcess.rssMiB(gateway.pid())).as("memory bounded after a 10 MB answer").isLessThan(1024);
                System.out.println();
                report.forEach(System.out::println);
            }
        } finally {
            esms.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The eSMS circuit breaker's state, from the gateway's Prometheus metrics. */
    private static boolean circuitOpen(java.net.http.HttpClient http, GatewayProcess gateway) throws Exception {
        String metrics = http.send(java.net.http.HttpRequest.newBuilder(URI.create(gateway.managementUrl() + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().anyMatch(line -> line.startsWith("ft_circuitbreaker_state_current")
                && line.contains("state=\"open\"") && line.endsWith(" 1.0"));
    }

    interface Check {
        void run() throws Exception;
    }

    private static long timed(Check check) throws Exception {
        long start = System.nanoTime();
        check.run();
        return (System.nanoTime() - start) / 1_000_000;
    }

}
