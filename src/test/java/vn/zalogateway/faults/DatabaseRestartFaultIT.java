package vn.zalogateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import vn.zalogateway.support.EsmsLatencyStub;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.TestDatabase;

/**
 * Fault: PostgreSQL restarts (stopped, down 1.5 s, started) while receipts stream in: the embedded server
 * this test run started, or with -Plocal-postgres the local one through pg_ctlcluster. The webhook answers 200 (stored) or 503 (retry:
 * nothing stored), never a 500; readiness goes DOWN and comes back UP; the gateway recovers without a
 * restart; every receipt answered 200 is stored.
 */
@Tag("faults")
class DatabaseRestartFaultIT {

    static final int CLIENTS = 8;

    final Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    final AtomicLong stamp = new AtomicLong(System.currentTimeMillis() * 1000);
    /** Receipts sent and not answered yet. */
    final AtomicInteger inFlight = new AtomicInteger();

    @Test
    void receiptsAreStoredOrRefusedWithA503AndTheGatewayRecovers() throws Exception {
        Assumptions.assumeTrue(TestDatabase.canRestart(), "needs the embedded server, or a local one that pg_ctlcluster runs");
        TestDatabase.recreateMigrated(GatewayDatabase.DB); // as the migration Job leaves it
        Vertx vertx = Vertx.vertx();
        try (EsmsLatencyStub esms = new EsmsLatencyStub(vertx, 20)) {
            Map<String, String> environment = new HashMap<>(GatewayProcess.environment(esms));
            environment.put("GATEWAY_WEBHOOKS_NXCLOUD_SECRET", "fault-secret");
            try (GatewayProcess gateway = new GatewayProcess(environment, GatewayProcess.logFile("fault-db-restart.log").toPath())) {
                HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                        .setDefaultPort(gateway.port), new PoolOptions().setHttp1MaxSize(CLIENTS));
                AtomicBoolean running = new AtomicBoolean(true);
                for (int c = 0; c < CLIENTS; c++) {
                    loop(client, running);
                }
                List<Integer> readiness = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
                Thread prober = new Thread(() -> probe(gateway, running, readiness));
                prober.start();
                // The restart comes while receipts stream in: once the gateway, ready, has stored a few hundred.
                await().atMost(Duration.ofSeconds(30)).until(() -> acknowledged.size() >= 300 && readiness.contains(200));
                int before = acknowledged.size();
                // A restart with the server down for a good second (a plain restart can be quicker than a probe).
                TestDatabase.restart(Duration.ofMillis(1_500));
                int restartedAt = acknowledged.size();
                int probedAtRestart = readiness.size();
                // The same process recovers within 6 s of the server's return: ready again, and storing receipts.
                await().atMost(Duration.ofSeconds(6)).untilAsserted(() -> {
                    List<Integer> since = new java.util.ArrayList<>(readiness);
                    assertThat(since.subList(probedAtRestart, since.size())).as("readiness since the restart").isNotEmpty()
                            .last().isEqualTo(200);
                    assertThat(acknowledged.size()).as("receipts stored after the restart, same process").isGreaterThan(restartedAt);
                });
                running.set(false);
                prober.join();
                // Every client's last request answered: what was acknowledged is known.
                await().atMost(Duration.ofSeconds(15)).until(() -> inFlight.get() == 0);

                assertThat(statuses.keySet()).as("answers: 200 stored or 503 retry, never a 500").isSubsetOf(200, 503);
                assertThat(readiness).as("readiness went DOWN").contains(503);
                assertThat(readiness.get(readiness.size() - 1)).as("and came back UP").isEqualTo(200);
                assertThat(acknowledged.size()).as("receipts stored after the restart, same process").isGreaterThan(restartedAt);
                assertThat(GatewayDatabase.strings("select natural_key from receipts"))
                        .as("every receipt answered 200 is stored").containsAll(acknowledged);
                System.out.printf("%nPostgreSQL restart under load: %d receipts stored (%d before the restart), answers %s, "
                        + "readiness DOWN in %d of %d probes%n", acknowledged.size(), before, statuses,
                        readiness.stream().filter(s -> s == 503).count(), readiness.size());
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void loop(HttpClient client, AtomicBoolean running) {
        if (running.get()) {
            inFlight.incrementAndGet();
            receipt(client).onComplete(done -> {
                inFlight.decrementAndGet();
                loop(client, running);
            });
        }
    }

    private Future<Void> receipt(HttpClient client) {
        long n = stamp.incrementAndGet();
        String body = "{\"status\":\"success\",\"requestId\":\"restart-" + n + "\",\"code\":0,\"timestamp\":" + n + "}";
        return GatewayCalls.send(client, GatewayCalls.nxcloudReceipt("fault-secret", 10_000), Buffer.buffer(body)).map(answer -> {
            statuses.computeIfAbsent(answer.status(), code -> new AtomicInteger()).incrementAndGet();
            if (answer.status() == 200) {
                acknowledged.add("success|restart-" + n + "|null|0|null|" + n);
            }
            return null;
        });
    }

    private static void probe(GatewayProcess gateway, AtomicBoolean running, List<Integer> readiness) {
        var http = java.net.http.HttpClient.newHttpClient();
        var ready = java.net.http.HttpRequest.newBuilder(URI.create(gateway.managementUrl() + "/q/health/ready"))
                .timeout(Duration.ofSeconds(5)).build();
        while (running.get()) { // a sample every 10 ms for as long as the load runs: a probe, not a wait
            try {
                readiness.add(http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode());
                Thread.sleep(10);
            } catch (Exception e) {
                readiness.add(-1);
            }
        }
    }
}
