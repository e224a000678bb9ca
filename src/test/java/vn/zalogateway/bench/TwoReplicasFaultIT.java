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

    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final AtomicInteger refused = new AtomicInteger();

    @Test
    void eachMessageIsSubmittedExactlyOnce() throws Exception {
        TestDatabase.recreate(MessageAcceptBenchmark.DB); // empty: the gateway migrates it as it starts
        Vertx vertx = Vertx.vertx();
        try (EsmsLatencyStub esms = new EsmsLatencyStub(vertx, 20)) {
            Map<String, String> environment = new HashMap<>(MessageAcceptBenchmark.environment(esms));
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
                Thread.sleep(8_000);
                running.set(false);
                Thread.sleep(500);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                while (MessageAcceptBenchmark.count("select count(*) from messages where status in ('ACCEPTED', 'SCHEDULED')") > 0) {
                    assertThat(System.nanoTime()).as("the outbox empties").isLessThan(deadline);
                    Thread.sleep(100);
                }
                Map<String, AtomicInteger> seen = esms.requestsById;
                assertThat(accepted).as("messages accepted by the two replicas").hasSizeGreaterThan(200);
                assertThat(refused.get()).isZero();
                assertThat(seen.keySet()).as("every accepted message reached eSMS").containsAll(accepted);
                assertThat(seen.values()).as("each exactly once").allSatisfy(count -> assertThat(count.get()).isEqualTo(1));
                assertThat(MessageAcceptBenchmark.count("select count(*) from messages where status = 'SUBMITTED'"))
                        .isEqualTo(accepted.size());
                System.out.printf("%ntwo replicas: %d messages accepted, %d eSMS requests, each message once%n",
                        accepted.size(), esms.requests.get());
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
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
