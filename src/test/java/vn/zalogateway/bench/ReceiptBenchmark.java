package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * Receipts per second into {@code POST /v1/webhooks/nxcloud/{secret}}, each a success receipt for its
 * own SUBMITTED message, against the ceiling of the same SQL run by pgbench on the same machine in
 * the same run. Run: {@code ./mvnw verify -Pbenchmark}.
 */
@Tag("benchmark")
class ReceiptBenchmark {

    static final String SECRET = "bench-webhook-secret";
    static final int MESSAGES = 500_000;
    static final int IN_FLIGHT = Integer.getInteger("bench.receipts.in-flight", 16);
    static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    static final int TRIALS = Integer.getInteger("bench.trials", 8); // short alternating pairs: this machine drifts by 20% and more
    static final int WARM_UP_SECONDS = Integer.getInteger("bench.receipts.warm-up", 30); // a slower machine's JIT needs longer
    static final Path PGBENCH = Path.of("/usr/lib/postgresql/15/bin/pgbench");

    final AtomicInteger next = new AtomicInteger();

    @Test
    void webhookAgainstTheSqlCeiling() throws Exception {
        MessageAcceptBenchmark.createDatabase();
        MessageAcceptBenchmark.clearTables();
        Vertx vertx = Vertx.vertx();
        StringBuilder report = new StringBuilder();
        Map<String, String> environment = new java.util.HashMap<>(MessageAcceptBenchmark.environment(new EsmsLatencyStub(vertx, 20)));
        environment.put("GATEWAY_WEBHOOKS_NXCLOUD_SECRET", SECRET);
        try (GatewayProcess gateway = new GatewayProcess(environment, GatewayProcess.logFile("benchmark-receipts-gateway.log").toPath())) {
            MessageAcceptBenchmark.sql("insert into messages (id, oa_id, user_id, template_type, language, zalo_payload, "
                    + "status, provider_message_id, created_at, updated_at, submitted_at) select gen_random_uuid(), 1, '1', "
                    + "'transaction_order', 'VI', '{}', 'SUBMITTED', 'bench-' || i, now(), now(), now() "
                    + "from generate_series(1, " + MESSAGES + ") i");
            MessageAcceptBenchmark.sql("analyze");
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(gateway.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(IN_FLIGHT));
            closedLoop(vertx, client, WARM_UP_SECONDS); // warm-up: the JIT needs a while for this path
            report.append(String.format("receipts: closed loop, %d in flight, %d s per trial; pgbench with the same SQL, %d clients%n",
                    IN_FLIGHT, SECONDS, IN_FLIGHT));
            List<Double> ratios = new ArrayList<>();
            List<Double> webhookRates = new ArrayList<>();
            List<Double> ceilings = new ArrayList<>();
            List<Double> p99s = new ArrayList<>();
            for (int trial = 1; trial <= TRIALS; trial++) {
                MessageAcceptBenchmark.Phase phase = closedLoop(vertx, client, SECONDS);
                double ceiling = pgbench(SECONDS);
                double rate = phase.acceptedRate();
                ratios.add(rate / ceiling);
                webhookRates.add(rate);
                ceilings.add(ceiling);
                p99s.add(phase.percentile(0.99));
                report.append(phase.describe("webhook, trial " + trial)).append('\n');
                report.append(String.format("%34s pgbench %.0f receipts/s; webhook/ceiling %.0f%%%n", "", ceiling, 100 * rate / ceiling));
            }
            long stored = MessageAcceptBenchmark.count("select count(*) from receipts where provider = 'nxcloud'");
            long applied = MessageAcceptBenchmark.count("select count(*) from receipts where provider = 'nxcloud' and applied_at is not null");
            report.append(String.format("median: webhook %.0f receipts/s, p99 %.1f ms, pgbench %.0f/s, ratio %.0f%%%n",
                    median(webhookRates), median(p99s), median(ceilings), 100 * median(ratios)));
            report.append(String.format("receipts answered 200: %d, stored: %d, applied: %d%n", ok.get(), stored, applied));
            System.out.println("\n=== NXCloud receipt webhook benchmark ===\n" + report);
            Files.writeString(Path.of("target", "benchmark-receipts.txt"), report);
            assertThat(stored).isEqualTo(ok.get());
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    final AtomicInteger ok = new AtomicInteger();

    MessageAcceptBenchmark.Phase closedLoop(Vertx vertx, HttpClient client, int seconds) throws InterruptedException {
        MessageAcceptBenchmark.Phase phase = new MessageAcceptBenchmark.Phase(2_000_000);
        phase.start = System.nanoTime();
        long deadline = phase.start + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch workers = new CountDownLatch(IN_FLIGHT);
        vertx.runOnContext(ignored -> {
            for (int w = 0; w < IN_FLIGHT; w++) {
                loop(client, phase, deadline, workers);
            }
        });
        workers.await();
        phase.await();
        return phase;
    }

    private void loop(HttpClient client, MessageAcceptBenchmark.Phase phase, long deadline, CountDownLatch workers) {
        if (System.nanoTime() >= deadline) {
            workers.countDown();
            return;
        }
        send(client, phase).onComplete(done -> loop(client, phase, deadline, workers));
    }

    /** An NXCloud success receipt (the seed's shape, with cost and quota) for message bench-i. */
    static String body(int i, int n) {
        return "{\"status\":\"success\",\"requestId\":\"bench-" + i + "\",\"code\":0,\"message\":\"Successfully sent.\","
                + "\"sendTime\":\"2026-11-23 10:12:39\",\"ext\":\"bench\",\"cost\":{\"currency\":\"USD\",\"originalPrice\":0.01},"
                + "\"zaloRes\":{\"error\":0,\"message\":\"Success\",\"data\":{\"msg_id\":\"" + i + "\",\"quota\":"
                + "{\"remainingQuota\":\"4999\",\"dailyQuota\":\"5000\"}}},\"timestamp\":" + n + "}";
    }

    private Future<Void> send(HttpClient client, MessageAcceptBenchmark.Phase phase) {
        int n = next.incrementAndGet();
        int i = n % MESSAGES + 1; // a message of its own until they run out; the timestamp keeps every receipt distinct
        String body = body(i, n);
        long due = System.nanoTime();
        phase.sent.incrementAndGet();
        return GatewayCalls.send(client, GatewayCalls.nxcloudReceipt(SECRET, 10_000), Buffer.buffer(body)).map(answer -> {
            if (answer.status() == 200) {
                ok.incrementAndGet();
            }
            phase.record(answer.status() == 200 ? 202 : answer.status(), System.nanoTime() - due);
            return null;
        });
    }

    /**
     * pgbench running what one receipt costs the gateway (the statements Hibernate Reactive sends): one
     * transaction that locks the message, stores the receipt matched to it and moves the message.
     */
    double pgbench(int seconds) throws Exception {
        Path script = Path.of("target", "receipt-pgbench.sql");
        Files.writeString(script, """
                \\set i random(1, %d)
                \\set n random(1, 2000000000)
                BEGIN;
                SELECT id AS m_id, status AS m_status FROM messages WHERE provider_message_id = 'bench-' || :i LIMIT 1 FOR NO KEY UPDATE \\gset
                INSERT INTO receipts (provider, natural_key, valid, status, code, message, request_id, journey_id, oa_id,
                    sent_at, cost_currency, cost_amount, remaining_quota, daily_quota, ext, raw_body, received_at,
                    message_ref, journey_ref, applied_at)
                VALUES ('pgbench', 'success|bench-' || :i || '|null|0|2026-11-23T02:12:39Z|' || :n || :client_id, true,
                    'success', 0, 'Successfully sent.', 'bench-' || :i, NULL, NULL, '2026-11-23 02:12:39+00', 'USD', 0.01,
                    4999, 5000, 'bench', '%s', now(), :m_id, NULL, now())
                ON CONFLICT (provider, natural_key) DO NOTHING;
                UPDATE messages SET status = 'SENT', updated_at = now(),
                    error_code = CASE WHEN false THEN '0' ELSE error_code END,
                    error_message = CASE WHEN false THEN 'x' ELSE error_message END
                WHERE id = :m_id;
                COMMIT;
                """.formatted(MESSAGES, body(MESSAGES, 1_000_000))); // rows as large as the webhook's
        Process process = new ProcessBuilder(PGBENCH.toString(), "-h", "127.0.0.1", "-U", "postgres", "-n", "-M", "prepared",
                "-c", Integer.toString(IN_FLIGHT), "-j", "2", "-T", Integer.toString(seconds), "-f", script.toString(),
                MessageAcceptBenchmark.DB).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(seconds + 30L, TimeUnit.SECONDS);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench said: " + output);
        }
        MessageAcceptBenchmark.sql("delete from receipts where provider = 'pgbench'");
        return Double.parseDouble(tps.group(1));
    }

    static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
