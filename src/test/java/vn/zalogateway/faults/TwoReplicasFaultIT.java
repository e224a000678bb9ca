package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

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

    @Test
    void eachMessageIsSubmittedExactlyOnce() throws Exception {
        TestDatabase.recreateMigrated(MessageAcceptBenchmark.DB); // as the migration Job leaves it
        Vertx vertx = Vertx.vertx();
        try (EsmsLatencyStub esms = new EsmsLatencyStub(vertx, 20)) {
            Map<String, String> environment = new HashMap<>(MessageAcceptBenchmark.environment(esms));
            environment.put("GATEWAY_ADMIN_KEY_HASHES", vn.zalogateway.support.TestKeys.ADMIN_HASHES);
            String body = MessageAcceptBenchmark.messageBody();
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
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90))
                        .until(() -> accepted.size() >= ENOUGH || refused.get() > 0);
                running.set(false);
                Thread.sleep(500);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (MessageAcceptBenchmark.count("select count(*) from messages where status in ('ACCEPTED', 'SCHEDULED')") > 0) {
                    assertThat(System.nanoTime()).as("the outbox empties").isLessThan(deadline);
                    Thread.sleep(100);
                }
                Map<String, AtomicInteger> seen = esms.requestsById;
                assertThat(accepted).as("messages accepted by the two replicas").hasSizeGreaterThanOrEqualTo(ENOUGH);
                assertThat(refused.get()).isZero();
                assertThat(seen.keySet()).as("every accepted message reached eSMS").containsAll(accepted);
                assertThat(seen.values()).as("each exactly once").allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
                assertThat(MessageAcceptBenchmark.count("select count(*) from messages where status = 'SUBMITTED'"))
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
        Thread.sleep(500); // the change's NOTIFY reaches the other replica's key cache
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

    private void loop(HttpClient client, String body, AtomicBoolean running) {
        if (!running.get()) {
            return;
        }
        GatewayCalls.send(client, GatewayCalls.newMessage(10_000), Buffer.buffer(body)).onComplete(done -> {
            if (done.result().status() == 202) {
                accepted.add(MessageAcceptBenchmark.acceptedId(done.result().body()));
            } else {
                refused.incrementAndGet();
            }
            loop(client, body, running);
        });
    }
}
