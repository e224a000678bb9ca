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
        List<String> summaries = new ArrayList<>();
        try (GatewayProcess gateway = new GatewayProcess(environment, GatewayProcess.logFile("benchmark-receipts-gateway.log").toPath())) {
            // Messages of the webhook's (bench-i) and of pgbench's own (pgbench-i): pgbench moving the webhook's
            // messages to SENT would spare later receipts their update.
            for (String prefix : List.of("bench-", "pgbench-")) {
                MessageAcceptBenchmark.sql("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, "
                        + "zalo_payload, status, zalo_status, provider_message_id, created_at, updated_at, submitted_at) select "
                        + "'00000000-0000-7000-8000-000000000001', gen_random_uuid(), 1, '1', "
                        + "'transaction_order', 'VI', '{}', 'SUBMITTED', 'SUBMITTED', '" + prefix + "' || i, now(), now(), now() "
                        + "from generate_series(1, " + MESSAGES + ") i");
            }
            MessageAcceptBenchmark.sql("analyze");
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
            MessageAcceptBenchmark.Phase floor = closedLoop(vertx, client, 16, SECONDS, "not-the-secret");
            CpuTime floorCpu = CpuTime.now(gateway.pid()).minus(floorStart).per(floor.recorded.get(), 0);
            report.append(floor.describe("refused (401), no database, 16 in flight")).append('\n');
            report.append(String.format("%34s CPU per request: %s%n", "", floorCpu.describe("gateway")));
            long stored = MessageAcceptBenchmark.count("select count(*) from receipts where provider = 'nxcloud'");
            long applied = MessageAcceptBenchmark.count("select count(*) from receipts where provider = 'nxcloud' and applied_at is not null");
            report.append(String.format("receipts answered 200: %d, stored: %d, applied: %d, lost %d%n", ok.get(), stored, applied,
                    ok.get() - stored));
            summaries.forEach(summary -> report.append(summary).append('\n'));
            System.out.println("\n=== NXCloud receipt webhook benchmark ===\n" + report);
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
        long storedBefore = MessageAcceptBenchmark.count("select count(*) from receipts where provider = 'nxcloud'");
        for (int trial = 1; trial <= TRIALS; trial++) {
            double[] batchesBefore = batches(gateway);
            CpuTime before = CpuTime.now(gateway.pid());
            MessageAcceptBenchmark.Phase phase = closedLoop(vertx, client, inFlight, SECONDS, SECRET);
            CpuTime webhook = CpuTime.now(gateway.pid()).minus(before).per(phase.accepted.get(), 0);
            double[] batchesAfter = batches(gateway);
            double batchSize = (batchesAfter[0] - batchesBefore[0]) / Math.max(1, batchesAfter[1] - batchesBefore[1]);
            int batch = Math.max(1, (int) Math.round(batchSize));

            CpuTime pgbenchStart = CpuTime.now(gateway.pid());
            Pgbench ceiling = pgbench(perReceiptScript(), inFlight, SECONDS);
            CpuTime sql = CpuTime.now(gateway.pid()).minus(pgbenchStart).per(ceiling.transactions(), ceiling.cpuMicros());

            CpuTime batchedStart = CpuTime.now(gateway.pid());
            Pgbench batched = pgbench(batchedScript(batch), Math.max(1, inFlight / batch), SECONDS);
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
        long lost = (ok.get() - okBefore) - (MessageAcceptBenchmark.count("select count(*) from receipts where provider = 'nxcloud'")
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
        return MessageAcceptBenchmark.median(values, Double::doubleValue);
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

    MessageAcceptBenchmark.Phase closedLoop(Vertx vertx, HttpClient client, int inFlight, int seconds, String secret)
            throws InterruptedException {
        MessageAcceptBenchmark.Phase phase = new MessageAcceptBenchmark.Phase(2_000_000);
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

    private void loop(HttpClient client, String secret, MessageAcceptBenchmark.Phase phase, long deadline, CountDownLatch workers) {
        if (System.nanoTime() >= deadline) {
            workers.countDown();
            return;
        }
        send(client, secret, phase).onComplete(done -> loop(client, secret, phase, deadline, workers));
    }

    /** An NXCloud success receipt (the seed's shape, with cost and quota) for message bench-i. */
    static String body(int i, int n) {
        return "{\"status\":\"success\",\"requestId\":\"bench-" + i + "\",\"code\":0,\"message\":\"Successfully sent.\","
                + "\"sendTime\":\"2026-11-23 10:12:39\",\"ext\":\"bench\",\"cost\":{\"currency\":\"USD\",\"originalPrice\":0.01},"
                + "\"zaloRes\":{\"error\":0,\"message\":\"Success\",\"data\":{\"msg_id\":\"" + i + "\",\"quota\":"
                + "{\"remainingQuota\":\"4999\",\"dailyQuota\":\"5000\"}}},\"timestamp\":" + n + "}";
    }

    private Future<Void> send(HttpClient client, String secret, MessageAcceptBenchmark.Phase phase) {
        int n = next.incrementAndGet();
        int i = (int) ((long) n * SCATTER % MESSAGES) + 1; // a message of its own until they run out; the timestamp keeps every receipt distinct
        String body = body(i, n);
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
                """.formatted(MESSAGES, body(MESSAGES, 1_000_000)); // rows as large as the webhook's
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
                """.formatted(MESSAGES - batch, batch - 1, body(MESSAGES, 1_000_000));
    }

    static Pgbench pgbench(String sql, int clients, int seconds) throws Exception {
        Path script = Path.of("target", "receipt-pgbench.sql");
        Files.writeString(script, sql);
        // Through bash, whose `times` then prints pgbench's own CPU time (user and system, as a child's).
        String command = String.join(" ", PGBENCH.toString(), "-h", "127.0.0.1", "-U", "postgres", "-n", "-M", "prepared",
                "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(2, clients)), "-T", Integer.toString(seconds), "-f", script.toString(),
                MessageAcceptBenchmark.DB) + "; times";
        Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(seconds + 30L, TimeUnit.SECONDS);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench said: " + output);
        }
        Matcher transactions = Pattern.compile("number of transactions actually processed: ([0-9]+)").matcher(output);
        if (!transactions.find()) {
            throw new IllegalStateException("pgbench said: " + output);
        }
        // times: the shell's own line, then its children's, e.g. "1m2.345s 0m0.678s"
        Matcher children = Pattern.compile("(?m)^0m[0-9.]+s 0m[0-9.]+s\\s*^([0-9]+)m([0-9.]+)s ([0-9]+)m([0-9.]+)s").matcher(output);
        double cpuMicros = 0;
        if (children.find()) {
            cpuMicros = 1e6 * (60 * Double.parseDouble(children.group(1)) + Double.parseDouble(children.group(2))
                    + 60 * Double.parseDouble(children.group(3)) + Double.parseDouble(children.group(4)));
        }
        MessageAcceptBenchmark.sql("delete from receipts where provider = 'pgbench'");
        return new Pgbench(Double.parseDouble(tps.group(1)), Long.parseLong(transactions.group(1)), cpuMicros);
    }

    /** pgbench's transactions per second and in all, and its own CPU time. */
    record Pgbench(double tps, long transactions, double cpuMicros) {
    }

    /**
     * CPU time from /proc: the whole machine's busy time; PostgreSQL's (every postgres process, and the
     * backends that have exited, as the postmaster's reaped children); the gateway's; this JVM's (the
     * load generator) and, for pgbench, its own. The rest is the kernel's work outside those processes
     * (loopback networking) and anything else running. Steadier than throughput on a machine that
     * drifts, and it shows who spends what.
     */
    record CpuTime(double machine, double postgres, double gateway, double loadGenerator, double pgbench) {
        private static final double MICROS_PER_TICK = 10_000; // USER_HZ is 100 on Linux

        static CpuTime now(long gatewayPid) throws java.io.IOException {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int field : new int[] {1, 2, 3, 6, 7, 8}) { // user, nice, system, irq, softirq, steal
                busy += Long.parseLong(cpu[field]);
            }
            return new CpuTime(busy * MICROS_PER_TICK, postgresNow(), process(gatewayPid), process(ProcessHandle.current().pid()), 0);
        }

        /** Fields of /proc/pid/stat after the command name, or null when the process is gone. */
        private static String[] stat(Path path) {
            try {
                String stat = Files.readString(path);
                return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            } catch (java.io.IOException gone) {
                return null;
            }
        }

        /** A process's command name, or "" when it is gone (a backend may exit while it is read). */
        private static String command(Path process) {
            try {
                return Files.readString(process.resolve("comm")).trim();
            } catch (java.io.IOException gone) {
                return "";
            }
        }

        static double process(long pid) {
            String[] fields = stat(Path.of("/proc", Long.toString(pid), "stat"));
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MICROS_PER_TICK; // utime, stime
        }

        private static double postgresNow() throws java.io.IOException {
            long ticks = 0;
            try (var processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path process : processes) {
                    String[] fields = stat(process.resolve("stat"));
                    if (fields == null || !"postgres".equals(command(process))) {
                        continue;
                    }
                    ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                    if (!"postgres".equals(command(Path.of("/proc", fields[1])))) { // the postmaster: add its exited backends
                        ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]); // cutime, cstime
                    }
                }
            }
            return ticks * MICROS_PER_TICK;
        }

        CpuTime minus(CpuTime earlier) {
            return new CpuTime(machine - earlier.machine, postgres - earlier.postgres, gateway - earlier.gateway,
                    loadGenerator - earlier.loadGenerator, 0);
        }

        /** Per receipt, with pgbench's own CPU time (0 when it is not running). */
        CpuTime per(long receipts, double pgbenchMicros) {
            return new CpuTime(machine / receipts, postgres / receipts, gateway / receipts, loadGenerator / receipts,
                    pgbenchMicros / receipts);
        }

        String describe(String client) {
            boolean gatewayRun = client.equals("gateway");
            double rest = machine - postgres - gateway - loadGenerator - pgbench;
            return String.format("machine %.0f us = PostgreSQL %.0f + %s %.0f + load generator %.0f%s + kernel and rest %.0f",
                    machine, postgres, client, gatewayRun ? gateway : pgbench, loadGenerator,
                    gatewayRun ? "" : String.format(" + idle gateway %.0f", gateway), rest);
        }

        static CpuTime median(List<CpuTime> all) {
            return new CpuTime(MessageAcceptBenchmark.median(all, CpuTime::machine), MessageAcceptBenchmark.median(all, CpuTime::postgres),
                    MessageAcceptBenchmark.median(all, CpuTime::gateway), MessageAcceptBenchmark.median(all, CpuTime::loadGenerator),
                    MessageAcceptBenchmark.median(all, CpuTime::pgbench));
        }
    }
}
