package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import vn.zalogateway.simulator.SimulatorSettings;

/**
 * The whole loop under load: messages accepted at a fixed rate, handed to eSMS, and reported back
 * ({@code success}, {@code delivered}, eSMS's callback) by the provider simulator, which runs in this
 * JVM on its own port and calls the packaged gateway's webhooks. Prints how long a message takes
 * from 202 to DELIVERED and what of that is the gateway's own (the rest is the simulated providers'
 * latency and receipt delays), and checks that every message ends DELIVERED with its three receipts.
 * Run: {@code ./mvnw verify -Pbenchmark -Dit.test=FlowBenchmark}.
 */
@Tag("benchmark")
class FlowBenchmark {

    static final int RATE = Integer.getInteger("bench.flow.rate", 200);
    static final int SECONDS = Integer.getInteger("bench.flow.seconds", 20);
    static final int WARM_UP_SECONDS = Integer.getInteger("bench.flow.warm-up", 30);
    static final String LATENCY = System.getProperty("bench.flow.latency", "20ms");
    static final String RECEIPT_DELAY = System.getProperty("bench.flow.receipt-delay", "200ms");
    /** The simulator in its own process (default), or in this JVM with -Dbench.flow.simulator=here. */
    static final boolean OWN_PROCESS = !"here".equals(System.getProperty("bench.flow.simulator", "process"));
    static final String P50 = "percentile_cont(0.5) within group (order by ms)";
    static final String P99 = "percentile_cont(0.99) within group (order by ms)";

    @Test
    void everyMessageComesBackDeliveredWithItsReceipts() throws Exception {
        SimulatedLoop.clearDatabase();
        Vertx vertx = Vertx.vertx();
        try (SimulatedLoop loop = new SimulatedLoop(vertx, defaults -> defaults.with("latency", LATENCY)
                .with("receipt-delay", RECEIPT_DELAY)
                .with("receipts", System.getProperty("bench.flow.receipts", "success,delivered,esms_callback")),
                Map.of(), "benchmark-flow-gateway.log", OWN_PROCESS)) {
            GatewayProcess gateway = loop.gateway;
            SimulatorSettings settings = loop.settings;
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(gateway.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(128));
            Buffer body = Buffer.buffer(MessageAcceptBenchmark.messageBody());
            MessageAcceptBenchmark load = new MessageAcceptBenchmark();

            load.openLoop(vertx, client, body, Math.max(RATE / 2, 1), WARM_UP_SECONDS); // warm-up: JIT, pools
            long warmUp = load.acceptedIds.size();
            SimulatedLoop.awaitReceiptsApplied(warmUp * 3);
            String since = MessageAcceptBenchmark.sqlText("select now()::text"); // latencies of the measured messages only
            long start = System.nanoTime();
            ReceiptBenchmark.CpuTime cpuBefore = ReceiptBenchmark.CpuTime.now(gateway.pid());
            double simulatorBefore = ReceiptBenchmark.CpuTime.process(loop.simulatorPid());
            MessageAcceptBenchmark.Phase accepting = load.openLoop(vertx, client, body, RATE, SECONDS);
            long expected = load.acceptedIds.size();
            SimulatedLoop.awaitReceiptsApplied(expected * 3);
            double settledIn = (System.nanoTime() - start) / 1e9;
            long measured = expected - warmUp;
            ReceiptBenchmark.CpuTime cpu = ReceiptBenchmark.CpuTime.now(gateway.pid()).minus(cpuBefore).per(measured, 0);
            double simulatorCpu = OWN_PROCESS ? (ReceiptBenchmark.CpuTime.process(loop.simulatorPid()) - simulatorBefore) / measured : 0;

            double p50 = millis(P50, since);
            double p99 = millis(P99, since);
            // What the simulated providers take before the delivered receipt leaves: one answer, two receipt delays.
            long simulatedMillis = settings.latency().toMillis() + 2 * settings.receiptDelay().toMillis();
            String report = String.format("""
                    === Flow benchmark: POST /v1/messages to DELIVERED, providers simulated ===
                    gateway (JVM %s) started in %d ms; simulated providers answer after %s, a receipt every %s
                    %s
                    messages accepted %d (plus %d warming up); all DELIVERED with their 3 receipts %.1f s after the load began (it lasted %d s)
                    202 to DELIVERED: p50 %.0f ms, p99 %.0f ms, max %.0f ms; of which the gateway's own (minus %s + 2 x %s): p50 %.0f ms, p99 %.0f ms
                    receipts into the webhooks: %.0f/s over the run; simulator: %s
                    not DELIVERED %d, receipts stored %d, not applied %d
                    CPU per delivered message (from /proc, the run's %d messages): machine %.0f us = gateway %.0f + PostgreSQL %.0f + simulator %.0f (%s) + load generator %.0f%s + kernel and rest %.0f
                    flow: sustained %.0f msg/s, gateway share p99 %.0f ms, cpu per message %.0f us (parts not measured), lost %d
                    """, Runtime.version(), gateway.startedIn.toMillis(), LATENCY, RECEIPT_DELAY,
                    accepting.describe("open loop " + RATE + "/s, " + SECONDS + " s"),
                    expected - warmUp, warmUp, settledIn, SECONDS,
                    p50, p99, millis("max(ms)", since),
                    LATENCY, RECEIPT_DELAY, p50 - simulatedMillis, p99 - simulatedMillis,
                    (expected - warmUp) * 3 / settledIn,
                    loop.counts(),
                    MessageAcceptBenchmark.count("select count(*) from messages where status <> 'DELIVERED'"),
                    MessageAcceptBenchmark.count("select count(*) from receipts"),
                    MessageAcceptBenchmark.count("select count(*) from receipts where applied_at is null"),
                    measured, cpu.machine(), cpu.gateway(), cpu.postgres(), simulatorCpu, OWN_PROCESS ? "own process" : "in the load generator's JVM",
                    cpu.loadGenerator(), OWN_PROCESS ? "" : " (with the simulator)",
                    cpu.machine() - cpu.gateway() - cpu.postgres() - cpu.loadGenerator() - simulatorCpu,
                    measured / settledIn, p99 - simulatedMillis, cpu.gateway(),
                    MessageAcceptBenchmark.count("select count(*) from messages where status <> 'DELIVERED'"));
            System.out.println(report);
            Files.writeString(Path.of("target", "benchmark-flow.txt"), report);
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(gateway.managementUrl() + "/q/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            Files.writeString(Path.of("target", "benchmark-flow-metrics.txt"), metrics);

            assertThat(MessageAcceptBenchmark.count("select count(*) from messages")).isEqualTo(expected);
            assertThat(MessageAcceptBenchmark.count("select count(*) from messages where status <> 'DELIVERED'")).isZero();
            assertThat(MessageAcceptBenchmark.count("select count(*) from receipts")).isEqualTo(expected * 3);
            assertThat(MessageAcceptBenchmark.count("select count(*) from receipts where applied_at is null")).isZero();
            assertThat(loop.counts().receiptsAbandoned()).isZero();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * A statistic ({@code max(ms)}, {@code percentile_cont(0.99) within group (order by ms)}) of 202 to DELIVERED,
     * in ms, of the messages made since {@code since} (PostgreSQL's clock).
     */
    static double millis(String statistic, String since) throws Exception {
        return Double.parseDouble(MessageAcceptBenchmark.sqlText("select " + statistic + " from (select extract(epoch from "
                + "r.received_at - m.created_at) * 1000 as ms from messages m join receipts r on r.message_ref = m.id "
                + "where r.status = 'delivered' and m.created_at >= '" + since + "') d"));
    }

}
