package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import vn.zalogateway.support.CpuTime;
import vn.zalogateway.support.EsmsLatencyStub;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.HotStatements;
import vn.zalogateway.support.TestDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.LoadPhase;
import vn.zalogateway.support.Pgbench;
import vn.zalogateway.support.Statistics;

/**
 * Receipts per second into {@code POST /v1/webhooks/nxcloud/{secret}}, each a success receipt for its
 * own SUBMITTED message, against the ceiling of the same SQL run by pgbench on the same machine in
 * the same run, with the CPU time each process spends per receipt in both. Run:
 * {@code ./mvnw verify -Pbenchmark}.
 */
@Tag("benchmark")
class ReceiptBenchmark {

    static final String SECRET = "bench-webhook-secret";
    static final int MESSAGES = 1_000_000;
    static final long SCATTER = 7_919; // coprime with MESSAGES: receipt n goes to message n * SCATTER mod MESSAGES, each once
    /** Receipts in flight, one level after the other (the targets are at 16 and at 64). */
    static final int[] IN_FLIGHT = java.util.Arrays.stream(System.getProperty("bench.receipts.in-flight", "16,64").split(","))
            .mapToInt(level -> Integer.parseInt(level.trim())).toArray();
    static final int SECONDS = Integer.getInteger("bench.seconds", 10);
    static final int TRIALS = Integer.getInteger("bench.trials", 5); // short alternating pairs: this machine drifts by 20% and more
    static final int WARM_UP_SECONDS = Integer.getInteger("bench.receipts.warm-up", 30); // a slower machine's JIT needs longer

    final AtomicInteger next = new AtomicInteger();

    @Test
    void webhookAgainstTheSqlCeiling() throws Exception {
        GatewayDatabase.createDatabase();
        GatewayDatabase.clearTables();
        Vertx vertx = Vertx.vertx();
        StringBuilder report = new StringBuilder();
        Map<String, String> environment = new java.util.HashMap<>(GatewayProcess.environment(new EsmsLatencyStub(vertx, 20)));
        environment.put("GATEWAY_WEBHOOKS_NXCLOUD_SECRET", SECRET);
        List<String> summaries = new ArrayList<>();
        try (GatewayProcess gateway = new GatewayProcess(environment, GatewayProcess.logFile("benchmark-receipts-gateway.log").toPath())) {
            // Messages of the webhook's (bench-i) and of pgbench's own (pgbench-i): pgbench moving the webhook's
            // messages to SENT would spare later receipts their update.
            for (String prefix : List.of("bench-", "pgbench-")) {
                GatewayDatabase.sql("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, "
                        + "zalo_payload, status, zalo_status, provider_message_id, created_at, updated_at, submitted_at) select "
                        + "'00000000-0000-7000-8000-000000000001', gen_random_uuid(), 1, '1', "
                        + "'transaction_order', 'VI', '{}', 'SUBMITTED', 'SUBMITTED', '" + prefix + "' || i, now(), now(), now() "
                        + "from generate_series(1, " + MESSAGES + ") i");
            }
            GatewayDatabase.sql("analyze");
            for (int inFlight : IN_FLIGHT) {
                HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                        .setDefaultPort(gateway.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(inFlight));
                closedLoop(vertx, client, inFlight, WARM_UP_SECONDS, SECRET); // warm-up: the JIT needs a while for this path
                summaries.add(level(gateway, vertx, client, inFlight, report));
                client.close();
            }
            // The floor: the same requests refused at the door (a wrong secret, 401), no database touched.
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(gateway.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(16));
            CpuTime floorStart = CpuTime.now(gateway.pid());
            LoadPhase floor = closedLoop(vertx, client, 16, SECONDS, "not-the-secret");
            CpuTime floorCpu = CpuTime.now(gateway.pid()).minus(floorStart).per(floor.recorded.get(), 0);
            report.append(floor.describe("refused (401), no database, 16 in flight")).append('\n');
            report.append(String.format("%34s CPU per request: %s%n", "", floorCpu.describe("gateway")));
            long stored = GatewayDatabase.count("select count(*) from receipts where provider = 'nxcloud'");
            long applied = GatewayDatabase.count("select count(*) from receipts where provider = 'nxcloud' and applied_at is not null");
            report.append(String.format("receipts answered 200: %d, stored: %d, applied: %d, lost %d%n", ok.get(), stored, applied,
                    ok.get() - stored));
            summaries.forEach(summary -> report.append(summary).append('\n'));
            System.out.println("\n=== NXCloud receipt webhook benchmark ===\n" + report);
            try (var connection = TestDatabase.connect(GatewayDatabase.DB)) {
                HotStatements.print(connection); // each hot statement's index and buffers per call, on the run's tables
            }
            Files.writeString(Path.of("target", "benchmark-receipts.txt"), report);
            assertThat(stored).isEqualTo(ok.get());
            assertThat(applied).isEqualTo(stored);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /**
     * Alternating trials at one number of receipts in flight: the webhook, pgbench with the per-receipt SQL
     * (one transaction per receipt, as many clients as receipts in flight) and pgbench with the batched SQL at
     * the webhook's own mean batch size of that trial (as many receipts in flight). The summary line.
     */
    private String level(GatewayProcess gateway, Vertx vertx, HttpClient client, int inFlight, StringBuilder report) throws Exception {
        report.append(String.format("receipts: closed loop, %d in flight, %d s per trial; pgbench with the same SQL, %d clients%n",
                inFlight, SECONDS, inFlight));
        List<Double> ratios = new ArrayList<>();
        List<Double> batchedRatios = new ArrayList<>();
        List<Double> webhookRates = new ArrayList<>();
        List<Double> ceilings = new ArrayList<>();
        List<Double> batchedCeilings = new ArrayList<>();
        List<Double> batchSizes = new ArrayList<>();
        List<Double> p99s = new ArrayList<>();
        List<CpuTime> webhookCpu = new ArrayList<>();
        List<CpuTime> pgbenchCpu = new ArrayList<>();
        List<CpuTime> batchedCpu = new ArrayList<>();
        int okBefore = ok.get();
        long storedBefore = GatewayDatabase.count("select count(*) from receipts where provider = 'nxcloud'");
        for (int trial = 1; trial <= TRIALS; trial++) {
            double[] batchesBefore = batches(gateway);
            CpuTime before = CpuTime.now(gateway.pid());
            LoadPhase phase = closedLoop(vertx, client, inFlight, SECONDS, SECRET);
            CpuTime webhook = CpuTime.now(gateway.pid()).minus(before).per(phase.accepted.get(), 0);
            double[] batchesAfter = batches(gateway);
            double batchSize = (batchesAfter[0] - batchesBefore[0]) / Math.max(1, batchesAfter[1] - batchesBefore[1]);
            int batch = Math.max(1, (int) Math.round(batchSize));

            CpuTime pgbenchStart = CpuTime.now(gateway.pid());
            Pgbench ceiling = Pgbench.run(perReceiptScript(), inFlight, SECONDS);
            CpuTime sql = CpuTime.now(gateway.pid()).minus(pgbenchStart).per(ceiling.transactions(), ceiling.cpuMicros());

            CpuTime batchedStart = CpuTime.now(gateway.pid());
            Pgbench batched = Pgbench.run(batchedScript(batch), Math.max(1, inFlight / batch), SECONDS);
            long batchedReceipts = batched.transactions() * batch;
            CpuTime batchedSql = CpuTime.now(gateway.pid()).minus(batchedStart).per(batchedReceipts, batched.cpuMicros());

            double rate = phase.acceptedRate();
            ratios.add(rate / ceiling.tps());
            batchedRatios.add(rate / (batched.tps() * batch));
            webhookRates.add(rate);
            ceilings.add(ceiling.tps());
            batchedCeilings.add(batched.tps() * batch);
            batchSizes.add(batchSize);
            p99s.add(phase.percentile(0.99));
            webhookCpu.add(webhook);
            pgbenchCpu.add(sql);
            batchedCpu.add(batchedSql);
            report.append(phase.describe("webhook, trial " + trial)).append('\n');
            report.append(String.format("%34s mean batch %.1f receipts; CPU per receipt: %s%n", "", batchSize, webhook.describe("gateway")));
            report.append(String.format("%34s pgbench %.0f receipts/s; webhook/ceiling %.0f%%; CPU per receipt: %s%n", "",
                    ceiling.tps(), 100 * rate / ceiling.tps(), sql.describe("pgbench")));
            report.append(String.format("%34s pgbench batched by %d: %.0f receipts/s; webhook/ceiling %.0f%%; CPU per receipt: %s%n", "",
                    batch, batched.tps() * batch, 100 * rate / (batched.tps() * batch), batchedSql.describe("pgbench")));
        }
        long lost = (ok.get() - okBefore) - (GatewayDatabase.count("select count(*) from receipts where provider = 'nxcloud'")
                - storedBefore);
        CpuTime webhook = CpuTime.median(webhookCpu);
        CpuTime sql = CpuTime.median(pgbenchCpu);
        CpuTime batchedSql = CpuTime.median(batchedCpu);
        report.append(String.format("median at %d in flight: webhook %.0f receipts/s (mean batch %.1f), p99 %.1f ms; pgbench %.0f/s, "
                + "ratio %.2f; pgbench batched %.0f/s, ratio %.2f%n", inFlight, median(webhookRates), median(batchSizes), median(p99s),
                median(ceilings), median(ratios), median(batchedCeilings), median(batchedRatios)));
        report.append(String.format("median CPU per receipt, webhook: %s%n", webhook.describe("gateway")));
        report.append(String.format("median CPU per receipt, pgbench: %s%n", sql.describe("pgbench")));
        report.append(String.format("median CPU per receipt, pgbench batched: %s%n", batchedSql.describe("pgbench")));
        return String.format("receipts: webhook %.0f/s, pgbench %.0f/s, ratio %.2f, p99 %.1f ms, cpu per receipt %.0f us (pgbench %.0f us), "
                + "lost %d [%d in flight; batched pgbench %.0f/s, ratio %.2f, cpu %.0f us]", median(webhookRates), median(ceilings),
                median(ratios), median(p99s), webhook.machine(), sql.machine(), lost, inFlight, median(batchedCeilings),
                median(batchedRatios), batchedSql.machine());
    }

    private static double median(List<Double> values) {
        return Statistics.median(values, Double::doubleValue);
    }

    /** The gateway's {@code gateway_receipts_batch_size} sum and count, from its metrics. */
    private static double[] batches(GatewayProcess gateway) throws Exception {
        String metrics = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(gateway.managementUrl() + "/q/metrics")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        double[] sumAndCount = new double[2];
        metrics.lines().forEach(line -> {
            if (line.startsWith("gateway_receipts_batch_size_sum ")) {
                sumAndCount[0] = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            } else if (line.startsWith("gateway_receipts_batch_size_count ")) {
                sumAndCount[1] = Double.parseDouble(line.substring(line.indexOf(' ') + 1));
            }
        });
        return sumAndCount;
    }

    final AtomicInteger ok = new AtomicInteger();

    LoadPhase closedLoop(Vertx vertx, HttpClient client, int inFlight, int seconds, String secret)
            throws InterruptedException {
        LoadPhase phase = new LoadPhase(2_000_000);
        phase.start = System.nanoTime();
        long deadline = phase.start + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch workers = new CountDownLatch(inFlight);
        vertx.runOnContext(ignored -> {
            for (int w = 0; w < inFlight; w++) {
                loop(client, secret, phase, deadline, workers);
            }
        });
        workers.await();
        phase.await();
        return phase;
    }

    private void loop(HttpClient client, String secret, LoadPhase phase, long deadline, CountDownLatch workers) {
        if (System.nanoTime() >= deadline) {
            workers.countDown();
            return;
        }
        send(client, secret, phase).onComplete(done -> loop(client, secret, phase, deadline, workers));
    }

    private Future<Void> send(HttpClient client, String secret, LoadPhase phase) {
        int n = next.incrementAndGet();
        int i = (int) ((long) n * SCATTER % MESSAGES) + 1; // a message of its own until they run out; the timestamp keeps every receipt distinct
        String body = GatewayCalls.nxcloudSuccess(i, n);
        long due = System.nanoTime();
        phase.sent.incrementAndGet();
        return GatewayCalls.send(client, GatewayCalls.nxcloudReceipt(secret, 10_000), Buffer.buffer(body)).map(answer -> {
            if (answer.status() == 200) {
                ok.incrementAndGet();
            }
            phase.record(answer.status() == 200 ? 202 : answer.status(), System.nanoTime() - due);
            return null;
        });
    }

    /**
     * pgbench running what one receipt cost the gateway when each had its own transaction: lock the message,
     * store the receipt matched to it, move the message.
     */
    static String perReceiptScript() {
        return """
                \\set i random(1, %d)
                \\set n random(1, 2000000000)
                BEGIN;
                SELECT id AS m_id, status AS m_status FROM messages WHERE provider_message_id = 'pgbench-' || :i LIMIT 1 FOR NO KEY UPDATE \\gset
                INSERT INTO receipts (provider, natural_key, valid, status, code, message, request_id, journey_id, oa_id,
                    sent_at, cost_currency, cost_amount, remaining_quota, daily_quota, ext, raw_body, received_at,
                    message_ref, journey_ref, applied_at)
                VALUES ('pgbench', 'success|pgbench-' || :i || '|null|0|2026-11-23T02:12:39Z|' || :n || :client_id, true,
                    'success', 0, 'Successfully sent.', 'pgbench-' || :i, NULL, NULL, '2026-11-23 02:12:39+00', 'USD', 0.01,
                    4999, 5000, 'bench', '%s', now(), :m_id, NULL, now())
                ON CONFLICT (provider, natural_key) DO NOTHING;
                UPDATE messages SET status = 'SENT', updated_at = now() WHERE id = :m_id;
                COMMIT;
                """.formatted(MESSAGES, GatewayCalls.nxcloudSuccess(MESSAGES, 1_000_000)); // rows as large as the webhook's
    }

    /**
     * The batched SQL at a batch size: one transaction locks the batch's messages (one statement, in id
     * order), stores all its receipts matched to them (one insert) and moves them (one update).
     */
    static String batchedScript(int batch) {
        return """
                \\set i random(1, %d)
                \\set n random(1, 2000000000)
                BEGIN;
                SELECT array_agg(id) AS ids FROM (SELECT id FROM messages WHERE provider_message_id = ANY (ARRAY(
                    SELECT 'pgbench-' || g FROM generate_series(:i, :i + %d) g)) ORDER BY id FOR NO KEY UPDATE) locked \\gset
                INSERT INTO receipts (provider, natural_key, valid, status, code, message, request_id, journey_id, oa_id,
                    sent_at, cost_currency, cost_amount, remaining_quota, daily_quota, ext, raw_body, received_at,
                    message_ref, journey_ref, applied_at)
                SELECT 'pgbench', 'success|pgbench-' || (:i + m.k) || '|null|0|2026-11-23T02:12:39Z|' || :n || :client_id, true,
                    'success', 0, 'Successfully sent.', 'pgbench-' || (:i + m.k), NULL, NULL, '2026-11-23 02:12:39+00', 'USD', 0.01,
                    4999, 5000, 'bench', '%s', now(), m.id, NULL, now()
                FROM unnest(:ids::uuid[]) WITH ORDINALITY AS m(id, k)
                ON CONFLICT (provider, natural_key) DO NOTHING RETURNING provider, natural_key;
                UPDATE messages SET status = 'SENT', updated_at = now() WHERE id = ANY (:ids::uuid[]);
                COMMIT;
                """.formatted(MESSAGES - batch, batch - 1, GatewayCalls.nxcloudSuccess(MESSAGES, 1_000_000));
    }
}
