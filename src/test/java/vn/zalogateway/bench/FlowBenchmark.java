package vn.zalogateway.bench;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;
import static vn.zalogateway.support.GatewayDatabase.P50;
import static vn.zalogateway.support.GatewayDatabase.P99;
import static vn.zalogateway.support.GatewayDatabase.millis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import vn.zalogateway.simulated.SimulatedReceiptBodies;
import vn.zalogateway.simulator.SimulatorSettings;
import vn.zalogateway.support.CpuTime;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.HotStatements;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.LoadPhase;
import vn.zalogateway.support.MessageLoad;
import vn.zalogateway.support.Pgbench;
import vn.zalogateway.support.TestDatabase;

/**
 * The whole loop under load: messages accepted at an offered rate that steps up (+50/s a step after the
 * warm-up) until the loop falls behind, the last step that kept up being what it sustains; handed to eSMS, and reported back
 * ({@code success}, {@code delivered}, eSMS's callback) by the provider simulator, which runs as a process
 * of its own and calls the packaged gateway's webhooks. Prints how long a message takes from 202 to
 * DELIVERED and what of that is the gateway's own (the rest is the simulated providers' latency and
 * receipt delays), the CPU each process spends per delivered message, the gateway's CPU per message of
 * each path alone at the same rate (the parts) and the loop's SQL ceiling (pgbench), and checks that
 * every message ends DELIVERED with its three receipts.
 * Run: {@code ./mvnw verify -Pbenchmark -Dit.test=FlowBenchmark}.
 */
@Tag("benchmark")
class FlowBenchmark {

    /** The first step's offered rate; each next step offers {@link #STEP} more, up to {@link #MAX_RATE}. */
    static final int RATE = Integer.getInteger("bench.flow.rate", 200);
    static final int STEP = Integer.getInteger("bench.flow.step", 50);
    static final int MAX_RATE = Integer.getInteger("bench.flow.max-rate", 2_000);
    /** A step kept up when its messages' 202-to-DELIVERED p99 is within this. */
    static final long KEPT_UP_MS = Long.getLong("bench.flow.kept-up-ms", 2_000);
    /** Seconds of each step. */
    static final int SECONDS = Integer.getInteger("bench.flow.seconds", 20);
    static final int WARM_UP_SECONDS = Integer.getInteger("bench.flow.warm-up", 30);
    static final String LATENCY = System.getProperty("bench.flow.latency", SimulatedLoop.LATENCY);
    static final String RECEIPT_DELAY = System.getProperty("bench.flow.receipt-delay", SimulatedLoop.RECEIPT_DELAY);
    /** The simulator in its own process (default), or in this JVM with -Dbench.flow.simulator=here. */
    static final boolean OWN_PROCESS = !"here".equals(System.getProperty("bench.flow.simulator", "process"));
    /** Each path alone afterwards, at the same rate (-Dbench.flow.parts=false leaves them out). */
    static final boolean PARTS = Boolean.parseBoolean(System.getProperty("bench.flow.parts", "true"));
    /** DELIVERED messages (with their receipts) in the tables before the run: a production-like past (issue 34). */
    static final int HISTORY = Integer.getInteger("bench.flow.history", 1_000_000);

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
            SimulatedLoop.seedHistory(HISTORY);
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(gateway.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(128));
            Buffer body = Buffer.buffer(GatewayCalls.messageBody());
            MessageLoad load = new MessageLoad();

            load.openLoop(vertx, client, body, Math.max(RATE / 2, 1), WARM_UP_SECONDS); // warm-up: JIT, pools
            SimulatedLoop.awaitReceiptsApplied(load.acceptedIds.size() * 3L);
            // What the simulated providers take before the delivered receipt leaves: one answer, two receipt delays.
            long simulatedMillis = settings.latency().toMillis() + 2 * settings.receiptDelay().toMillis();
            // The offered rate steps up until the loop falls behind (202-to-DELIVERED p99 past the bound): the
            // last step that kept up is what the loop sustains.
            List<Step> steps = new ArrayList<>();
            Step kept = null;
            for (int rate = RATE; rate <= MAX_RATE; rate += STEP) {
                Step step = step(vertx, client, body, load, loop, rate);
                steps.add(step);
                System.out.println(step.describe());
                if (step.p99 > KEPT_UP_MS || step.lost > 0) {
                    break;
                }
                kept = step;
            }
            Step measured = kept != null ? kept : steps.get(0);
            long lost = GatewayDatabase.count("select count(*) from messages where status <> 'DELIVERED'");
            String report = String.format("""
                    === Flow benchmark: POST /v1/messages to DELIVERED, providers simulated ===
                    gateway (JVM %s) started in %d ms; simulated providers answer after %s, a receipt every %s
                    offered rate from %d msg/s in steps of %d/s of %d s each, until 202-to-DELIVERED p99 passes %d ms
                    %s
                    last step that kept up: %s
                    202 to DELIVERED: p50 %.0f ms, p99 %.0f ms; of which the gateway's own (minus %s + 2 x %s): p50 %.0f ms, p99 %.0f ms
                    simulator: %s
                    not DELIVERED %d, receipts stored %d, not applied %d
                    CPU per delivered message (from /proc, that step's %d messages): machine %.0f us = gateway %.0f + PostgreSQL %.0f + simulator %.0f (%s) + load generator %.0f%s + kernel and rest %.0f
                    """, Runtime.version(), gateway.startedIn.toMillis(), LATENCY, RECEIPT_DELAY, RATE, STEP, SECONDS, KEPT_UP_MS,
                    String.join("\n", steps.stream().map(Step::describe).toList()),
                    kept == null ? "none" : kept.describe(),
                    measured.p50, measured.p99, LATENCY, RECEIPT_DELAY, measured.p50 - simulatedMillis, measured.p99 - simulatedMillis,
                    loop.counts(),
                    lost,
                    GatewayDatabase.count("select count(*) from receipts where " + SimulatedLoop.NOT_HISTORY),
                    GatewayDatabase.count("select count(*) from receipts where applied_at is null"),
                    measured.messages, measured.cpu.machine(), measured.cpu.gateway(), measured.cpu.postgres(), measured.simulatorCpu,
                    OWN_PROCESS ? "own process" : "in the load generator's JVM",
                    measured.cpu.loadGenerator(), OWN_PROCESS ? "" : " (with the simulator)",
                    measured.cpu.machine() - measured.cpu.gateway() - measured.cpu.postgres() - measured.cpu.loadGenerator() - measured.simulatorCpu);
            assertThat(GatewayDatabase.count("select count(*) from messages where " + SimulatedLoop.NOT_HISTORY)).isEqualTo(load.acceptedIds.size());
            assertThat(lost).isZero();
            assertThat(GatewayDatabase.count("select count(*) from receipts where " + SimulatedLoop.NOT_HISTORY)).isEqualTo(load.acceptedIds.size() * 3L);
            assertThat(GatewayDatabase.count("select count(*) from receipts where applied_at is null")).isZero();
            assertThat(loop.counts().receiptsAbandoned()).isZero();
            double sustained = kept == null ? 0 : kept.rate;
            report += "database: " + GatewayDatabase.sqlText("select 'PostgreSQL ' || current_setting('server_version') || ', autovacuum '"
                    + " || current_setting('autovacuum') || ', history of " + HISTORY + " DELIVERED messages with 2 receipts each, vacuumed and analysed'") + "\n";
            System.out.println(report); // the loop's figures, whatever happens next
            try (var connection = TestDatabase.connect(GatewayDatabase.DB)) {
                HotStatements.print(connection); // each hot statement's index and buffers per call, on the loop's tables
            }
            Parts parts = PARTS ? parts(vertx, client, loop, load, measured.rate, measured.effective) : null;
            CpuTime ceilingStart = CpuTime.now(gateway.pid());
            Pgbench ceiling = loopCeiling(16, SECONDS);
            CpuTime ceilingCpu = CpuTime.now(gateway.pid()).minus(ceilingStart)
                    .per(ceiling.transactions(), ceiling.cpuMicros());
            String summary = (parts == null ? "" : parts.describe()) + String.format(
                    "loop SQL ceiling (pgbench, one transaction per step, 16 clients): %.0f msg/s; CPU per message: %s%n"
                    + "flow: sustained %.0f msg/s, gateway share p99 %.0f ms, cpu per message %.0f us (parts %s), lost %d"
                    + " [ceiling %.0f msg/s, ratio %.2f]%n",
                    ceiling.tps(), ceilingCpu.describe("pgbench"),
                    sustained, measured.p99 - simulatedMillis, measured.cpu.gateway(),
                    parts == null ? "not measured" : String.format("%.0f us", parts.sum()), lost, ceiling.tps(),
                    sustained / ceiling.tps());
            System.out.println(summary);
            report += summary;
            Files.writeString(Path.of("target", "benchmark-flow.txt"), report);
            String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(gateway.managementUrl() + "/q/metrics")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            Files.writeString(Path.of("target", "benchmark-flow-metrics.txt"), metrics);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** One step of the offered rate: what was accepted, how fast it settled, its latencies and its CPU per message. */
    record Step(int rate, long messages, double settledIn, double effective, double p50, double p99, CpuTime cpu,
            double simulatorCpu, long lost) {
        String describe() {
            return String.format("step %d msg/s offered: %d accepted, settled in %.1f s (%.0f msg/s), 202-to-DELIVERED p50 %.0f ms,"
                    + " p99 %.0f ms, gateway cpu per message %.0f us, postgres %.0f us, not delivered %d", rate, messages, settledIn,
                    effective, p50, p99, cpu.gateway(), cpu.postgres(), lost);
        }
    }

    /** {@code rate} messages a second for {@link #SECONDS}, then until each has its three receipts applied. */
    private static Step step(Vertx vertx, HttpClient client, Buffer body, MessageLoad load, SimulatedLoop loop, int rate)
            throws Exception {
        long before = load.acceptedIds.size();
        String since = GatewayDatabase.sqlText("select now()::text"); // latencies of this step's messages only
        long start = System.nanoTime();
        CpuTime cpuBefore = CpuTime.now(loop.gateway.pid());
        double simulatorBefore = CpuTime.process(loop.simulatorPid());
        load.openLoop(vertx, client, body, rate, SECONDS);
        long messages = load.acceptedIds.size() - before;
        SimulatedLoop.awaitReceiptsApplied(load.acceptedIds.size() * 3L);
        double settledIn = (System.nanoTime() - start) / 1e9;
        CpuTime cpu = CpuTime.now(loop.gateway.pid()).minus(cpuBefore).per(messages, 0);
        double simulatorCpu = OWN_PROCESS ? (CpuTime.process(loop.simulatorPid()) - simulatorBefore) / messages : 0;
        return new Step(rate, messages, settledIn, messages / settledIn, millis(P50, since), millis(P99, since), cpu, simulatorCpu,
                GatewayDatabase.count("select count(*) from messages where status <> 'DELIVERED'"));
    }

    /**
     * The gateway's CPU per message of each path alone, at the loop's rate, without what it spends idle (its
     * pollers and timers, measured alone: each part would count them again); the loop pays that once, which
     * {@link #sum} adds back at the loop's rate.
     */
    record Parts(int messages, double idlePerSecond, double accept, double dispatch, double receipts, double loopRate) {
        double sum() {
            return accept + dispatch + receipts + idlePerSecond / loopRate;
        }

        String describe() {
            return String.format("parts, each alone at the loop's rate (%d messages): gateway CPU per message accept %.0f us + dispatch "
                    + "%.0f us + 3 receipts %.0f us + idle %.0f us/s at %.0f msg/s %.0f us = %.0f us%n", messages, accept, dispatch,
                    receipts, idlePerSecond, loopRate, idlePerSecond / loopRate, sum());
        }
    }

    /**
     * Each path alone at the loop's rate on the same gateway: messages accepted a day ahead (nothing is
     * dispatched), then made due at the rate and dispatched with no receipts coming back, then their three
     * receipts sent at three times the rate as the simulator would. The gateway's CPU per message of each.
     */
    private static Parts parts(Vertx vertx, HttpClient client, SimulatedLoop loop, MessageLoad load, int rate, double loopRate)
            throws Exception {
        long pid = loop.gateway.pid();
        double idleStart = CpuTime.process(pid);
        long idleFrom = System.nanoTime();
        Thread.sleep(10_000);
        double idlePerSecond = (CpuTime.process(pid) - idleStart) / ((System.nanoTime() - idleFrom) / 1e9);
        ObjectNode body = (ObjectNode) new ObjectMapper().readTree(GatewayCalls.messageBody());
        body.put("send_at", java.time.Instant.now().plus(java.time.Duration.ofDays(1)).toString());
        double before = CpuTime.process(pid);
        long from = System.nanoTime();
        LoadPhase accepting = load.openLoop(vertx, client, Buffer.buffer(body.toString()), rate, SECONDS);
        int messages = accepting.accepted.get();
        double accept = (CpuTime.process(pid) - before - idle(idlePerSecond, from)) / messages;

        loop.changeSettings("{\"receipts\": []}");
        before = CpuTime.process(pid);
        long start = System.nanoTime();
        from = start;
        for (long released = 0; released < messages;) { // rate a second, a tenth every 100 ms
            int step = Math.max(1, rate / 10);
            GatewayDatabase.sql("update messages set due_at = now() where id in (select id from messages "
                    + "where status = 'SCHEDULED' and due_at > now() order by id limit " + step + ")");
            released += step;
            long next = start + released * 1_000_000_000L / rate;
            Thread.sleep(Math.max(0, (next - System.nanoTime()) / 1_000_000));
        }
        awaitCount("select count(*) from messages where status in ('SCHEDULED', 'ACCEPTED')", 0);
        double dispatch = (CpuTime.process(pid) - before - idle(idlePerSecond, from)) / messages;

        loop.changeSettings("{\"receipts\": \"" + System.getProperty("bench.flow.receipts", "success,delivered,esms_callback") + "\"}");
        List<String[]> submitted = new ArrayList<>();
        try (var connection = TestDatabase.connect(GatewayDatabase.DB); var statement = connection.createStatement();
                var rows = statement.executeQuery("select id, provider_message_id, oa_id, user_id from messages where status = 'SUBMITTED'")) {
            while (rows.next()) {
                submitted.add(new String[] {rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4)});
            }
        }
        long appliedBefore = GatewayDatabase.count("select count(*) from receipts where applied_at is not null");
        before = CpuTime.process(pid);
        from = System.nanoTime();
        openLoop(vertx, 3 * rate, 3 * submitted.size(), k -> {
            String[] message = submitted.get(k / 3);
            return switch (k % 3) {
                case 0 -> GatewayCalls.send(client, GatewayCalls.nxcloudReceipt(SimulatedLoop.SECRET, 10_000), Buffer.buffer(
                        SimulatedReceiptBodies.nxcloudSuccess(message[1], message[0], message[2], message[3])));
                case 1 -> GatewayCalls.send(client, GatewayCalls.nxcloudReceipt(SimulatedLoop.SECRET, 10_000), Buffer.buffer(
                        SimulatedReceiptBodies.nxcloudDelivered(message[1], message[0], message[2], message[3])));
                default -> GatewayCalls.send(client, new io.vertx.core.http.RequestOptions().setMethod(io.vertx.core.http.HttpMethod.GET)
                        .setURI("/v1/webhooks/esms/" + SimulatedLoop.SECRET + "?"
                                + SimulatedReceiptBodies.esmsCallbackQuery(message[1], message[0], message[2], message[3]))
                        .setTimeout(10_000), Buffer.buffer());
            };
        });
        awaitCount("select count(*) from receipts where applied_at is not null", appliedBefore + 3L * submitted.size());
        double receipts = (CpuTime.process(pid) - before - idle(idlePerSecond, from)) / submitted.size();
        return new Parts(messages, idlePerSecond, accept, dispatch, receipts, loopRate);
    }

    /** What the gateway spends idle since {@code from} (System.nanoTime). */
    private static double idle(double perSecond, long from) {
        return perSecond * (System.nanoTime() - from) / 1e9;
    }

    /**
     * The loop's SQL ceiling: pgbench running, per message, the statements of its whole life with one
     * transaction per step, as the gateway runs them one message at a time: accept (insert), claim and submit
     * (two updates), then three receipts (lock, store, move; the last one moves nothing, as eSMS's callback
     * after {@code delivered}). Messages per second, and pgbench's CPU per message. Its messages are due a day
     * ahead, so that the gateway (idle meanwhile) never dispatches them.
     */
    static Pgbench loopCeiling(int clients, int seconds) throws Exception {
        String payload = GatewayCalls.messageBody().replace("'", "''");
        String receipt = GatewayCalls.nxcloudSuccess(1, 1).replace("'", "''");
        StringBuilder script = new StringBuilder("""
                \\set n random(1, 2000000000)
                INSERT INTO messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, ext,
                    due_at, created_at, updated_at)
                VALUES ('00000000-0000-7000-8000-000000000001', gen_random_uuid(), 1, '5830123456789', 'transaction_order', 'VI',
                    '%s', 'ACCEPTED', 'pgbench-loop', now() + interval '1 day', now(), now()) RETURNING id AS m_id \\gset
                UPDATE messages SET lease_until = now() + interval '30 seconds', attempts = attempts + 1, updated_at = now(),
                    claim = gen_random_uuid() WHERE id = :m_id;
                UPDATE messages SET status = 'SUBMITTED', zalo_status = 'SUBMITTED', provider_message_id = 'loop-' || :n || '-' || :client_id,
                    submitted_at = now(), next_look_at = now() + interval '10 minutes', due_at = null, lease_until = null,
                    updated_at = now() WHERE id = :m_id;
                """.formatted(payload));
        String[][] receipts = {{"success", "SENT"}, {"delivered", "DELIVERED"}, {"esms", null}};
        for (String[] step : receipts) {
            script.append("""
                    BEGIN;
                    SELECT id FROM messages WHERE provider_message_id = 'loop-' || :n || '-' || :client_id LIMIT 1 FOR NO KEY UPDATE;
                    INSERT INTO receipts (provider, natural_key, valid, status, code, message, request_id, oa_id, sent_at,
                        cost_currency, cost_amount, remaining_quota, daily_quota, ext, raw_body, received_at, message_ref, applied_at)
                    VALUES ('pgbench', '%1$s|loop-' || :n || '-' || :client_id, true, '%1$s', 0, 'Successfully sent.',
                        'loop-' || :n || '-' || :client_id, '1', now(), 'USD', 0.01, 4999, 5000, 'bench', '%2$s', now(), :m_id, now())
                    ON CONFLICT (provider, natural_key) DO NOTHING;
                    """.formatted(step[0], receipt));
            if (step[1] != null) {
                script.append("UPDATE messages SET status = '%s', updated_at = now() WHERE id = :m_id;\n".formatted(step[1]));
            }
            script.append("COMMIT;\n");
        }
        Pgbench ceiling = Pgbench.run(script.toString(), clients, seconds);
        GatewayDatabase.sql("delete from messages where ext = 'pgbench-loop'");
        return ceiling;
    }

    /** {@code total} requests at {@code rate} a second; waits for every answer. */
    private static void openLoop(Vertx vertx, int rate, int total, java.util.function.IntFunction<io.vertx.core.Future<GatewayCalls.Answer>> request)
            throws InterruptedException {
        java.util.concurrent.CountDownLatch answered = new java.util.concurrent.CountDownLatch(total);
        MessageLoad.paced(vertx, rate, total, (k, due) -> request.apply(k).onComplete(done -> answered.countDown()));
        answered.await();
    }

    private static void awaitCount(String sql, long expected) {
        await(sql).atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(50))
                .until(() -> GatewayDatabase.count(sql) == expected);
    }
}
