package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import vn.zalogateway.support.CpuTime;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.Messages;

/**
 * Contract v1.3's batches against the same messages sent one by one, side by side in one run: the packaged gateway as its
 * own process (dispatch off, so the accept path alone runs in it), PostgreSQL local, one client. Each trial sends
 * {@code bench.batch-messages} transaction messages in batches of 1,000 ({@code bench.batch-in-flight} batches in flight),
 * then as many one by one ({@code bench.single-in-flight} in flight); messages a second over the wall clock, and the
 * gateway's and PostgreSQL's CPU per message (from /proc). The median of {@code bench.trials}. Target: batches at least 5
 * times the messages a second. Run: {@code ./mvnw verify -Pbenchmark -Dbench.db-host= -Dit.test=BatchBenchmark}.
 */
@Tag("benchmark")
class BatchBenchmark {

    static final int BATCH = 1000;
    static final int MESSAGES = Integer.getInteger("bench.batch-messages", 20_000);
    static final int TRIALS = Integer.getInteger("bench.trials", 3);
    static final int BATCHES_IN_FLIGHT = Integer.getInteger("bench.batch-in-flight", 2);
    static final int SINGLES_IN_FLIGHT = Integer.getInteger("bench.single-in-flight", 64);
    static final int WARM_UP_BATCHES = Math.max(2 * MESSAGES / BATCH, 2);

    /** One way of sending, measured: messages accepted, wall time, CPU. */
    record Phase(long messages, long nanos, CpuTime cpu) {
        double perSecond() {
            return messages / (nanos / 1e9);
        }

        double gatewayMicros() {
            return cpu.gateway() / messages;
        }

        double postgresMicros() {
            return cpu.postgres() / messages;
        }
    }

    @Test
    void batchesAcceptFiveTimesTheMessagesASecond() throws Exception {
        GatewayDatabase.createDatabase();
        GatewayDatabase.clearTables();
        Vertx vertx = Vertx.vertx();
        Map<String, String> environment = new HashMap<>(GatewayProcess.environment("http://127.0.0.1:9/unused"));
        environment.put("GATEWAY_DISPATCH_ENABLED", "false");
        try (GatewayProcess gateway = new GatewayProcess(environment, GatewayProcess.logFile("benchmark-batches.log").toPath())) {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(gateway.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(256));
            Buffer single = Buffer.buffer(GatewayCalls.messageBody());
            ObjectNode batch = Messages.JSON.createObjectNode().put("ext", "bench");
            ArrayNode messages = batch.putArray("messages");
            for (int i = 0; i < BATCH; i++) {
                messages.add(Messages.message().put("ext", "bench-" + i));
            }
            Buffer batchBody = Buffer.buffer(batch.toString());

            // Warm-up: JIT, pools, both paths; two trials' worth of each (with half a trial, the first two trials were
            // still compiling: 74 and 61 us of gateway CPU a batch item, then 30 from the third on).
            run(vertx, client, batches(), batchBody, BATCHES_IN_FLIGHT, WARM_UP_BATCHES, BATCH, gateway.pid());
            run(vertx, client, GatewayCalls.newMessage(30_000), single, SINGLES_IN_FLIGHT, 2 * MESSAGES, 1, gateway.pid());

            StringBuilder report = new StringBuilder(String.format("gateway (JVM %s), %d messages a trial, batches of %d (%d in flight) "
                    + "and one by one (%d in flight), dispatch off%n", Runtime.version(), MESSAGES, BATCH, BATCHES_IN_FLIGHT,
                    SINGLES_IN_FLIGHT));
            List<Phase> batched = new ArrayList<>();
            List<Phase> alone = new ArrayList<>();
            for (int trial = 1; trial <= TRIALS; trial++) {
                Phase inBatches = run(vertx, client, batches(), batchBody, BATCHES_IN_FLIGHT, MESSAGES / BATCH, BATCH, gateway.pid());
                Phase oneByOne = run(vertx, client, GatewayCalls.newMessage(30_000), single, SINGLES_IN_FLIGHT, MESSAGES, 1, gateway.pid());
                batched.add(inBatches);
                alone.add(oneByOne);
                report.append(String.format("trial %d: in batches %.0f msg/s (gateway %.1f us, postgres %.1f us a message); "
                        + "one by one %.0f msg/s (gateway %.1f us, postgres %.1f us)%n", trial, inBatches.perSecond(),
                        inBatches.gatewayMicros(), inBatches.postgresMicros(), oneByOne.perSecond(), oneByOne.gatewayMicros(),
                        oneByOne.postgresMicros()));
            }
            double n = median(batched, Phase::perSecond);
            double m = median(alone, Phase::perSecond);
            String line = String.format("batches: %.0f msg/s in batches of 1000, %.0f msg/s one by one, ratio %.1f, "
                    + "gateway cpu per message %.1f us (one by one %.1f us), postgres cpu per message %.1f us (one by one %.1f us)",
                    n, m, n / m, median(batched, Phase::gatewayMicros), median(alone, Phase::gatewayMicros),
                    median(batched, Phase::postgresMicros), median(alone, Phase::postgresMicros));
            report.append(line).append('\n');
            long stored = GatewayDatabase.count("select count(*) from messages");
            long expected = (long) TRIALS * 2L * MESSAGES + (long) WARM_UP_BATCHES * BATCH + 2L * MESSAGES;
            report.append(String.format("messages stored %d (expected %d)%n", stored, expected));
            System.out.println("\n=== POST /v1/batches against POST /v1/messages ===\n" + report);
            System.out.println(line);
            Files.writeString(Path.of("target", "benchmark-batches.txt"), report);
            assertThat(stored).as("every accepted message stored, once").isEqualTo(expected);
            assertThat(n / m).as("messages a second in batches of 1000 over one by one").isGreaterThanOrEqualTo(5);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    static RequestOptions batches() {
        return new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/batches").setTimeout(60_000)
                .putHeader("Authorization", "Bearer " + GatewayProcess.API_KEY).putHeader("Content-Type", "application/json");
    }

    /**
     * {@code requests} requests of {@code body}, {@code inFlight} at a time (closed loop), each answered 202 with
     * {@code perRequest} messages accepted: how long they took and the CPU they cost.
     */
    static Phase run(Vertx vertx, HttpClient client, RequestOptions request, Buffer body, int inFlight, int requests,
            int perRequest, long gatewayPid) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicLong accepted = new AtomicLong();
        AtomicInteger refused = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(inFlight);
        CpuTime before = CpuTime.now(gatewayPid);
        long start = System.nanoTime();
        vertx.runOnContext(ignored -> {
            for (int w = 0; w < inFlight; w++) {
                loop(client, request, body, requests, perRequest, next, accepted, refused, done);
            }
        });
        assertThat(done.await(10, TimeUnit.MINUTES)).as("the phase ended within 10 minutes").isTrue();
        long nanos = System.nanoTime() - start;
        CpuTime cpu = CpuTime.now(gatewayPid).minus(before);
        assertThat(refused.get()).as("requests not accepted in full").isZero();
        return new Phase(accepted.get(), nanos, cpu);
    }

    private static void loop(HttpClient client, RequestOptions request, Buffer body, int requests, int perRequest,
            AtomicInteger next, AtomicLong accepted, AtomicInteger refused, CountDownLatch done) {
        if (next.getAndIncrement() >= requests) {
            done.countDown();
            return;
        }
        GatewayCalls.send(client, request, body).onComplete(answer -> {
            GatewayCalls.Answer got = answer.result();
            if (got.status() == 202 && (perRequest == 1 || got.body().contains("\"accepted\":" + perRequest + ","))) {
                accepted.addAndGet(perRequest);
            } else {
                refused.incrementAndGet();
            }
            loop(client, request, body, requests, perRequest, next, accepted, refused, done);
        });
    }

    private static double median(List<Phase> phases, java.util.function.ToDoubleFunction<Phase> value) {
        double[] sorted = phases.stream().mapToDouble(value).sorted().toArray();
        return sorted[sorted.length / 2];
    }
}
