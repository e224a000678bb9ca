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

    /**
     * Contract v1.3's target: a message that asks for an SMS fallback costs the accept path at most 10% more gateway CPU
     * than one that does not. The accept path alone (dispatch off, so nothing else runs in the gateway), the two bodies
     * in alternating trials at the same open-loop rate; gateway CPU per accepted message, the median of each.
     */
    @Test
    void aFallbackCostsTheAcceptPathAtMostATenthMoreCpu() throws Exception {
        GatewayDatabase.createDatabase();
        GatewayDatabase.clearTables();
        Vertx vertx = Vertx.vertx();
        Map<String, String> environment = new java.util.HashMap<>(GatewayProcess.environment("http://127.0.0.1:9/unused"));
        environment.put("GATEWAY_DISPATCH_ENABLED", "false");
        environment.put("GATEWAY_SMS_BRANDNAME", "SHOP-A");
        try (GatewayProcess gateway = new GatewayProcess(environment, GatewayProcess.logFile("benchmark-fallback.log").toPath())) {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(gateway.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(256));
            com.fasterxml.jackson.databind.node.ObjectNode plain = vn.zalogateway.support.Messages.message().put("ext", "bench");
            com.fasterxml.jackson.databind.node.ObjectNode withFallback = plain.deepCopy();
            withFallback.putObject("fallback").put("after", "PT15M").putObject("sms").put("phone", "0912345678")
                    .put("text", "Don hang DH-001 dang giao. Tra cuu don hang tai shop.vn/dh hoac goi 1900 1234.");
            Buffer plainBody = Buffer.buffer(plain.toString());
            Buffer fallbackBody = Buffer.buffer(withFallback.toString());
            MessageLoad load = new MessageLoad();
            load.openLoop(vertx, client, plainBody, Math.max(RATE / 2, 1), 10); // warm-up: JIT, pools, both paths
            load.openLoop(vertx, client, fallbackBody, Math.max(RATE / 2, 1), 10);
            List<Double> plainCpu = new ArrayList<>();
            List<Double> fallbackCpu = new ArrayList<>();
            StringBuilder report = new StringBuilder();
            for (int trial = 1; trial <= TRIALS; trial++) {
                for (boolean fallback : new boolean[] {false, true}) {
                    double before = vn.zalogateway.support.CpuTime.process(gateway.pid());
                    LoadPhase phase = load.openLoop(vertx, client, fallback ? fallbackBody : plainBody, RATE, SECONDS);
                    double microsPerMessage = (vn.zalogateway.support.CpuTime.process(gateway.pid()) - before) / phase.accepted.get();
                    (fallback ? fallbackCpu : plainCpu).add(microsPerMessage);
                    report.append(phase.describe((fallback ? "with a fallback" : "without") + ", trial " + trial))
                            .append(String.format("; gateway CPU %.0f µs a message%n", microsPerMessage));
                    assertThat(phase.accepted.get()).as("accepted").isGreaterThan(0);
                }
            }
            double ratio = median(fallbackCpu) / median(plainCpu);
            report.append(String.format("gateway CPU a message: %.0f µs without a fallback, %.0f µs with one: x%.3f (target <= 1.10)%n",
                    median(plainCpu), median(fallbackCpu), ratio));
            System.out.println("\n=== POST /v1/messages with an SMS fallback ===\n" + report);
            Files.writeString(Path.of("target", "benchmark-fallback.txt"), report);
            assertThat(ratio).as("a fallback's extra CPU on the accept path").isLessThanOrEqualTo(1.10);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Issue 34's accept-path target: the gateway's CPU per accepted message (accept alone: dispatch off) at most a quarter
     * of the code before, measured side by side: the packaged app of an earlier commit ({@code -Dbench.accept.before=} its
     * quarkus-app folder, e.g. built from a second clone) and this build, both started here on the same database,
     * trials alternating at the same open-loop rate; the median of each, and each one's p99 accept latency.
     * Run: {@code ./mvnw verify -Pbenchmark -Dit.test=MessageAcceptBenchmark#acceptPathAgainstTheCodeBefore
     * -Dbench.accept.before=/path/to/old/target/quarkus-app}.
     */
    @Test
    void acceptPathAgainstTheCodeBefore() throws Exception {
        String before = System.getProperty("bench.accept.before", "");
        org.junit.jupiter.api.Assumptions.assumeFalse(before.isBlank(), "-Dbench.accept.before names the earlier build");
        GatewayDatabase.createDatabase();
        GatewayDatabase.clearTables();
        Vertx vertx = Vertx.vertx();
        Map<String, String> environment = new java.util.HashMap<>(GatewayProcess.environment("http://127.0.0.1:9/unused"));
        environment.put("GATEWAY_DISPATCH_ENABLED", "false");
        List<String> java = List.of(vn.zalogateway.support.Jdk.java(), "-jar");
        try (GatewayProcess now = new GatewayProcess(new ArrayList<>(List.of(java.get(0), java.get(1), GatewayProcess.JAR.toString())),
                environment, GatewayProcess.logFile("benchmark-accept-now.log").toPath());
                GatewayProcess earlier = new GatewayProcess(new ArrayList<>(List.of(java.get(0), java.get(1),
                        Path.of(before, "quarkus-run.jar").toString())), environment,
                        GatewayProcess.logFile("benchmark-accept-before.log").toPath())) {
            Buffer body = Buffer.buffer(GatewayCalls.messageBody());
            MessageLoad load = new MessageLoad();
            Map<GatewayProcess, HttpClient> clients = new java.util.LinkedHashMap<>();
            for (GatewayProcess gateway : List.of(earlier, now)) {
                clients.put(gateway, vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                        .setDefaultPort(gateway.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(256)));
                load.openLoop(vertx, clients.get(gateway), body, Math.max(RATE / 2, 1), 10); // warm-up: JIT, pools
            }
            Map<GatewayProcess, List<Double>> cpu = Map.of(earlier, new ArrayList<>(), now, new ArrayList<>());
            Map<GatewayProcess, List<Double>> p99 = Map.of(earlier, new ArrayList<>(), now, new ArrayList<>());
            StringBuilder report = new StringBuilder();
            for (int trial = 1; trial <= TRIALS; trial++) {
                for (GatewayProcess gateway : List.of(earlier, now)) {
                    double cpuBefore = vn.zalogateway.support.CpuTime.process(gateway.pid());
                    LoadPhase phase = load.openLoop(vertx, clients.get(gateway), body, RATE, SECONDS);
                    double micros = (vn.zalogateway.support.CpuTime.process(gateway.pid()) - cpuBefore) / phase.accepted.get();
                    cpu.get(gateway).add(micros);
                    p99.get(gateway).add(phase.percentile(0.99));
                    report.append(phase.describe((gateway == now ? "now" : "before") + ", trial " + trial))
                            .append(String.format("; gateway CPU %.0f µs a message%n", micros));
                }
            }
            report.append(String.format("accept: cpu per message %.0f us (before %.0f us), p99 %.1f ms at %d/s (before %.1f ms); ratio %.2f (target <= 0.25)%n",
                    median(cpu.get(now)), median(cpu.get(earlier)), median(p99.get(now)), RATE, median(p99.get(earlier)),
                    median(cpu.get(now)) / median(cpu.get(earlier))));
            System.out.println("\n=== POST /v1/messages, accept path: this build against " + before + " ===\n" + report);
            Files.writeString(Path.of("target", "benchmark-accept.txt"), report);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    /** How long after {@code since} the outbox was empty: no message ACCEPTED or SCHEDULED any more (within 180 s). */
    private static Duration awaitOutboxEmpty(long since) {
        await().alias("the outbox empty within 180 s").atMost(Duration.ofSeconds(180)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> GatewayDatabase.count("select count(*) from messages where status in ('ACCEPTED', 'SCHEDULED')") == 0);
        return Duration.ofNanos(System.nanoTime() - since);
    }
}
