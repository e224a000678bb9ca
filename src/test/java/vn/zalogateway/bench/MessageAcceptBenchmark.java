package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import vn.zalogateway.support.LoadPhase;
import vn.zalogateway.support.MessageLoad;
import vn.zalogateway.support.Statistics;

/**
 * Throughput and latency of {@code POST /v1/messages} on this machine: the packaged gateway as its own
 * process, PostgreSQL local, and an eSMS stand-in that answers after 20 ms. The load is open-loop (a
 * request every 1/rate seconds whatever the answers do), and latency is measured from when a request
 * was due, so a stall shows up instead of hiding. Run: {@code ./mvnw verify -Pbenchmark}.
 */
@Tag("benchmark")
class MessageAcceptBenchmark {

    static final int RATE = Integer.getInteger("bench.rate", 1000);
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    static final int TRIALS = Integer.getInteger("bench.trials", 3);
    static final int ESMS_LATENCY_MS = Integer.getInteger("bench.esms-latency-ms", 20);
    static final boolean DISPATCHING = !"false".equals(System.getProperty("bench.env.GATEWAY_DISPATCH_ENABLED"));

    @Test
    void acceptsAndSubmitsEveryMessageExactlyOnce() throws Exception {
        GatewayDatabase.createDatabase();
        GatewayDatabase.clearTables(); // before the gateway starts: its dispatcher would send what an earlier run left
        Vertx vertx = Vertx.vertx();
        StringBuilder report = new StringBuilder();
        try (EsmsLatencyStub esms = new EsmsLatencyStub(vertx, ESMS_LATENCY_MS);
                GatewayProcess gateway = new GatewayProcess(GatewayProcess.environment(esms), GatewayProcess.logFile("benchmark-gateway.log").toPath())) {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(gateway.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(256));
            Buffer body = Buffer.buffer(GatewayCalls.messageBody());
            MessageLoad load = new MessageLoad();

            load.openLoop(vertx, client, body, Math.max(RATE / 2, 1), 10);        // warm-up: JIT, pools
            report.append(String.format("gateway started (JVM %s) in %d ms; eSMS stand-in answers after %d ms%n",
                    Runtime.version(), gateway.startedIn.toMillis(), ESMS_LATENCY_MS));
            List<LoadPhase> trials = new ArrayList<>();
            for (int trial = 1; trial <= TRIALS; trial++) {
                int submittedBefore = esms.requests.get();
                LoadPhase measured = load.openLoop(vertx, client, body, RATE, SECONDS);
                measured.submitted = esms.requests.get() - submittedBefore;
                trials.add(measured);
                report.append(measured.describe("open loop " + RATE + "/s, trial " + trial)).append('\n');
                if (DISPATCHING) {
                    report.append(String.format("%34s outbox empty %d ms after the trial's last request%n", "",
                            awaitOutboxEmpty(System.nanoTime()).toMillis()));
                }
            }
            report.append(String.format("median of %d trials: accepted %.0f/s, p50 %.1f ms, p99 %.1f ms, eSMS submissions %.0f/s%n",
                    TRIALS, Statistics.median(trials, LoadPhase::acceptedRate), Statistics.median(trials, phase -> phase.percentile(0.50)),
                    Statistics.median(trials, phase -> phase.percentile(0.99)), Statistics.median(trials, phase -> phase.submitted / phase.seconds())));
            System.out.println(report);
            if (!DISPATCHING) {
                return; // accept path alone: nothing will leave the outbox
            }
            LoadPhase ceiling = load.closedLoop(vertx, client, body, 64, 15);
            awaitOutboxEmpty(System.nanoTime());
            report.append(ceiling.describe("closed loop, 64 in flight, 15 s")).append('\n');
            Map<String, AtomicInteger> seen = esms.requestsById;
            long duplicates = seen.values().stream().filter(count -> count.get() > 1).count();
            long unknown = seen.keySet().stream().filter(id -> !load.acceptedIds.contains(id)).count();
            long missing = load.acceptedIds.stream().filter(id -> !seen.containsKey(id)).count();
            long notSubmitted = GatewayDatabase.count("select count(*) from messages where status <> 'SUBMITTED'");
            report.append(String.format("accepted %d, sent to eSMS %d; sent twice %d, never sent %d, unknown %d, not SUBMITTED %d%n",
                    load.acceptedIds.size(), seen.size(), duplicates, missing, unknown, notSubmitted));
            System.out.println("\n=== POST /v1/messages benchmark ===\n" + report);
            Files.writeString(Path.of("target", "benchmark-messages.txt"), report);

            assertThat(duplicates).isZero();
            assertThat(missing).isZero();
            assertThat(unknown).isZero();
            assertThat(notSubmitted).isZero();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** How long after {@code since} the outbox was empty: no message ACCEPTED or SCHEDULED any more (within 180 s). */
    private static Duration awaitOutboxEmpty(long since) {
        await().alias("the outbox empty within 180 s").atMost(Duration.ofSeconds(180)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> GatewayDatabase.count("select count(*) from messages where status in ('ACCEPTED', 'SCHEDULED')") == 0);
        return Duration.ofNanos(System.nanoTime() - since);
    }
}
