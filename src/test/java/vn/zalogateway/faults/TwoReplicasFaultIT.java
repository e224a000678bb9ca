package vn.zalogateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

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
 * Fault: two replicas (two gateway processes) against one database, both dispatching, messages sent
 * to both. Each accepted message must reach eSMS exactly once.
 */
@Tag("faults")
class TwoReplicasFaultIT {

    static final int CLIENTS_PER_REPLICA = 8;
    /** Messages the two replicas accept before the load stops: enough for their dispatchers to race on many. */
    static final int ENOUGH = 300;

    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final AtomicInteger refused = new AtomicInteger();
    /** Requests sent and not answered yet. */
    final AtomicInteger inFlight = new AtomicInteger();

    @Test
    void eachMessageIsSubmittedExactlyOnce() throws Exception {
        TestDatabase.recreateMigrated(GatewayDatabase.DB); // as the migration Job leaves it
        Vertx vertx = Vertx.vertx();
        try (EsmsLatencyStub esms = new EsmsLatencyStub(vertx, 20)) {
            Map<String, String> environment = new HashMap<>(GatewayProcess.environment(esms));
            environment.put("GATEWAY_ADMIN_KEY_HASHES", vn.zalogateway.support.TestKeys.ADMIN_HASHES);
            String body = GatewayCalls.messageBody();
            try (GatewayProcess one = new GatewayProcess(environment, GatewayProcess.logFile("fault-replica-1.log").toPath());
                    GatewayProcess two = new GatewayProcess(environment, GatewayProcess.logFile("fault-replica-2.log").toPath())) {
                AtomicBoolean running = new AtomicBoolean(true);
                for (GatewayProcess replica : List.of(one, two)) {
                    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                            .setDefaultPort(replica.port), new PoolOptions().setHttp1MaxSize(CLIENTS_PER_REPLICA));
                    for (int c = 0; c < CLIENTS_PER_REPLICA; c++) {
                        loop(client, body, running);
                    }
                }
                // Load until enough messages were accepted (however slow the machine is today), then stop it.
                await().atMost(Duration.ofSeconds(90)).until(() -> accepted.size() >= ENOUGH || refused.get() > 0);
                running.set(false);
                // Every client's last request answered: what was accepted is known.
                await().atMost(Duration.ofSeconds(15)).until(() -> inFlight.get() == 0);
                await().alias("the outbox empties within 60 s").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                        .until(() -> GatewayDatabase.count("select count(*) from messages where status in ('ACCEPTED', 'SCHEDULED')") == 0);
                Map<String, AtomicInteger> seen = esms.requestsById;
                assertThat(accepted).as("messages accepted by the two replicas").hasSizeGreaterThanOrEqualTo(ENOUGH);
                assertThat(refused.get()).isZero();
                assertThat(seen.keySet()).as("every accepted message reached eSMS").containsAll(accepted);
                assertThat(seen.values()).as("each exactly once").allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
                assertThat(GatewayDatabase.count("select count(*) from messages where status = 'SUBMITTED'"))
                        .isEqualTo(accepted.size());
                System.out.printf("%ntwo replicas: %d messages accepted, %d eSMS requests, each message once%n",
                        accepted.size(), esms.requests.get());

                oneLimitForBoth(vertx, body, one, two);
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * The consumer's rate limit holds across the replicas: a burst sent to both at once gets about one
     * second's worth accepted in all (two replicas with a bucket each would accept twice that), the rest 429.
     */
    private void oneLimitForBoth(Vertx vertx, String body, GatewayProcess one, GatewayProcess two) throws Exception {
        java.net.http.HttpResponse<String> patched = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(one.baseUrl()
                        + "/v1/admin/consumers/00000000-0000-7000-8000-000000000001"))
                        .header("Authorization", "Bearer " + vn.zalogateway.support.TestKeys.ADMIN_KEY)
                        .header("Content-Type", "application/json")
                        .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"rate_limit_per_second\": 5}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        // The other replica has the new limit once a request there, made after the change, had its key looked up in
        // the database (the change's NOTIFY empties its cache; a read begun before the change is never cached).
        await().alias("replica two reads the consumer again").atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20)).until(() -> lookedUpInTheDatabase(two));
        List<io.vertx.core.Future<GatewayCalls.Answer>> burst = new java.util.ArrayList<>();
        for (GatewayProcess replica : List.of(one, two)) {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(replica.port), new PoolOptions().setHttp1MaxSize(10));
            for (int i = 0; i < 10; i++) {
                burst.add(GatewayCalls.send(client, GatewayCalls.newMessage(10_000), Buffer.buffer(body)));
            }
        }
        List<GatewayCalls.Answer> answers = io.vertx.core.Future.all(burst).toCompletionStage().toCompletableFuture()
                .get(30, TimeUnit.SECONDS).list();
        long ok = answers.stream().filter(answer -> answer.status() == 202).count();
        long limited = answers.stream().filter(answer -> answer.status() == 429).count();
        System.out.printf("one limit of 5/s on two replicas: a burst of 20 got %d accepted, %d refused with 429%n", ok, limited);
        assertThat(ok + limited).as("every answer is 202 or 429").isEqualTo(20);
        assertThat(ok).as("about a second's worth in all, not per replica").isBetween(5L, 7L);
        assertThat(answers).filteredOn(answer -> answer.status() == 429).allSatisfy(refused -> {
            assertThat(refused.retryAfter()).as("Retry-After").isEqualTo("1");
            assertThat(refused.body()).contains("rate-limited");
        });
    }

    /** Whether a read of the replica's API, sent now, had its key looked up in the database (not its cache). */
    private static boolean lookedUpInTheDatabase(GatewayProcess replica) throws Exception {
        double before = databaseLookups(replica);
        java.net.http.HttpResponse<Void> read = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(replica.baseUrl() + "/v1/messages?limit=1")).header("Authorization", "Bearer " + GatewayProcess.API_KEY)
                .build(), java.net.http.HttpResponse.BodyHandlers.discarding());
        assertThat(read.statusCode()).isEqualTo(200);
        return databaseLookups(replica) > before;
    }

    /** gateway_api_key_lookups_total{source="database"}, from the replica's metrics. */
    private static double databaseLookups(GatewayProcess replica) throws Exception {
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(replica.managementUrl() + "/q/metrics")).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        return metrics.lines().filter(line -> line.startsWith("gateway_api_key_lookups_total{") && line.contains("source=\"database\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).findFirst()
                .orElseThrow(() -> new AssertionError("no gateway_api_key_lookups_total{source=\"database\"} in the metrics"));
    }

    private void loop(HttpClient client, String body, AtomicBoolean running) {
        if (!running.get()) {
            return;
        }
        inFlight.incrementAndGet();
        GatewayCalls.send(client, GatewayCalls.newMessage(10_000), Buffer.buffer(body)).onComplete(done -> {
            inFlight.decrementAndGet();
            if (done.result().status() == 202) {
                accepted.add(GatewayCalls.acceptedId(done.result().body()));
            } else {
                refused.incrementAndGet();
            }
            loop(client, body, running);
        });
    }
}
