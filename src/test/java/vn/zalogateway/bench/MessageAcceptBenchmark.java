package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import vn.zalogateway.common.auth.ApiKeys;
import vn.zalogateway.support.TestDatabase;
import vn.zalogateway.support.TestKeys;

/**
 * Throughput and latency of {@code POST /v1/messages} on this machine: the packaged gateway as its own
 * process, PostgreSQL local, and an eSMS stand-in that answers after 20 ms. The load is open-loop (a
 * request every 1/rate seconds whatever the answers do), and latency is measured from when a request
 * was due, so a stall shows up instead of hiding. Run: {@code ./mvnw verify -Pbenchmark}.
 */
@Tag("benchmark")
class MessageAcceptBenchmark {

    static final String KEY = "bench-key";
    static final int RATE = Integer.getInteger("bench.rate", 1000);
    static final int SECONDS = Integer.getInteger("bench.seconds", 20);
    static final int TRIALS = Integer.getInteger("bench.trials", 3);
    static final int ESMS_LATENCY_MS = Integer.getInteger("bench.esms-latency-ms", 20);
    static final String DB = "zalo_gateway_bench";
    static final boolean DISPATCHING = !"false".equals(System.getProperty("bench.env.GATEWAY_DISPATCH_ENABLED"));

    final Set<String> acceptedIds = ConcurrentHashMap.newKeySet();

    @Test
    void acceptsAndSubmitsEveryMessageExactlyOnce() throws Exception {
        createDatabase();
        clearTables(); // before the gateway starts: its dispatcher would send what an earlier run left
        Vertx vertx = Vertx.vertx();
        StringBuilder report = new StringBuilder();
        try (EsmsLatencyStub esms = new EsmsLatencyStub(vertx, ESMS_LATENCY_MS);
                GatewayProcess gateway = new GatewayProcess(environment(esms), GatewayProcess.logFile("benchmark-gateway.log").toPath())) {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(gateway.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(256));
            Buffer body = Buffer.buffer(messageBody());

            openLoop(vertx, client, body, Math.max(RATE / 2, 1), 10);        // warm-up: JIT, pools
            report.append(String.format("gateway started (JVM %s) in %d ms; eSMS stand-in answers after %d ms%n",
                    Runtime.version(), gateway.startedIn.toMillis(), ESMS_LATENCY_MS));
            List<Phase> trials = new ArrayList<>();
            for (int trial = 1; trial <= TRIALS; trial++) {
                int submittedBefore = esms.requests.get();
                Phase measured = openLoop(vertx, client, body, RATE, SECONDS);
                measured.submitted = esms.requests.get() - submittedBefore;
                trials.add(measured);
                report.append(measured.describe("open loop " + RATE + "/s, trial " + trial)).append('\n');
                if (DISPATCHING) {
                    report.append(String.format("%34s outbox empty %d ms after the trial's last request%n", "",
                            awaitOutboxEmpty(System.nanoTime()).toMillis()));
                }
            }
            report.append(String.format("median of %d trials: accepted %.0f/s, p50 %.1f ms, p99 %.1f ms, eSMS submissions %.0f/s%n",
                    TRIALS, median(trials, Phase::acceptedRate), median(trials, phase -> phase.percentile(0.50)),
                    median(trials, phase -> phase.percentile(0.99)), median(trials, phase -> phase.submitted / phase.seconds())));
            System.out.println(report);
            if (!DISPATCHING) {
                return; // accept path alone: nothing will leave the outbox
            }
            Phase ceiling = closedLoop(vertx, client, body, 64, 15);
            awaitOutboxEmpty(System.nanoTime());
            report.append(ceiling.describe("closed loop, 64 in flight, 15 s")).append('\n');
            Map<String, AtomicInteger> seen = esms.requestsById;
            long duplicates = seen.values().stream().filter(count -> count.get() > 1).count();
            long unknown = seen.keySet().stream().filter(id -> !acceptedIds.contains(id)).count();
            long missing = acceptedIds.stream().filter(id -> !seen.containsKey(id)).count();
            long notSubmitted = count("select count(*) from messages where status <> 'SUBMITTED'");
            report.append(String.format("accepted %d, sent to eSMS %d; sent twice %d, never sent %d, unknown %d, not SUBMITTED %d%n",
                    acceptedIds.size(), seen.size(), duplicates, missing, unknown, notSubmitted));
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
     * Requests sent at a fixed rate for some seconds; each latency is counted from when it was due.
     * A 1 ms timer on the client's event loop sends whatever has fallen due.
     */
    Phase openLoop(Vertx vertx, HttpClient client, Buffer body, int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        Phase phase = new Phase(total);
        phase.start = paced(vertx, rate, total, (i, due) -> send(client, body, phase, due));
        phase.await();
        return phase;
    }

    /** One request of a paced run: the {@code i}-th, due at {@code due} (System.nanoTime). */
    interface Paced {
        void send(int i, long due);
    }

    /**
     * Calls {@code send} {@code total} times at {@code rate} a second, each when it is due, whatever the answers
     * (an open loop); returns once all are sent, with the time (System.nanoTime) the first was due.
     */
    static long paced(Vertx vertx, int rate, int total, Paced send) throws InterruptedException {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        CountDownLatch allSent = new CountDownLatch(1);
        vertx.setPeriodic(1, timer -> {
            long now = System.nanoTime();
            int i = next.get();
            while (i < total && start + i * interval <= now) {
                send.send(i, start + i * interval);
                i++;
            }
            next.set(i);
            if (i == total) {
                vertx.cancelTimer(timer);
                allSent.countDown();
            }
        });
        allSent.await();
        return start;
    }

    /** As fast as the gateway answers, with a fixed number of requests in flight. */
    Phase closedLoop(Vertx vertx, HttpClient client, Buffer body, int inFlight, int seconds) throws InterruptedException {
        Phase phase = new Phase(1_000_000);
        phase.start = System.nanoTime();
        long deadline = phase.start + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch workers = new CountDownLatch(inFlight);
        vertx.runOnContext(ignored -> {
            for (int w = 0; w < inFlight; w++) {
                loop(client, body, phase, deadline, workers);
            }
        });
        workers.await();
        phase.await();
        return phase;
    }

    private void loop(HttpClient client, Buffer body, Phase phase, long deadline, CountDownLatch workers) {
        if (System.nanoTime() >= deadline) {
            workers.countDown();
            return;
        }
        send(client, body, phase, System.nanoTime()).onComplete(done -> loop(client, body, phase, deadline, workers));
    }

    private io.vertx.core.Future<Void> send(HttpClient client, Buffer body, Phase phase, long due) {
        phase.sent.incrementAndGet();
        return GatewayCalls.send(client, GatewayCalls.newMessage(10_000), body).map(answer -> {
            phase.record(answer.status(), System.nanoTime() - due);
            if (answer.status() == 202) {
                acceptedIds.add(acceptedId(answer.body()));
            }
            return null;
        });
    }

    private Duration awaitOutboxEmpty(long since) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (count("select count(*) from messages where status in ('ACCEPTED', 'SCHEDULED')") > 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the outbox did not empty within 180 s");
            }
            Thread.sleep(20);
        }
        return Duration.ofNanos(System.nanoTime() - since);
    }

    /** The median of a figure over trials (the upper one of an even count); every benchmark here reports it. */
    static <T> double median(List<T> trials, java.util.function.ToDoubleFunction<T> figure) {
        double[] values = trials.stream().mapToDouble(figure).sorted().toArray();
        return values[values.length / 2];
    }

    static String messageBody() throws Exception {
        ObjectMapper json = new ObjectMapper();
        try (InputStream seed = MessageAcceptBenchmark.class.getResourceAsStream("/templates/seed-transaction-order.json")) {
            ObjectNode body = (ObjectNode) json.readTree(seed);
            return body.put("oa_id", "3041812345605770721").put("user_id", "5830123456789").put("ext", "bench").toString();
        }
    }

    static Map<String, String> environment(EsmsLatencyStub esms) {
        return environment("http://127.0.0.1:" + esms.port() + "/MainService.svc/json");
    }

    /** The gateway's settings for the benchmark database and an eSMS at {@code esmsUrl}. */
    static Map<String, String> environment(String esmsUrl) {
        Map<String, String> environment = new java.util.HashMap<>(Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", TestDatabase.reactiveUrl(DB),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "GATEWAY_API_KEY_HASHES", ApiKeys.sha256Hex(KEY),
                "GATEWAY_ETELECOM_API_KEY", "bench",
                "GATEWAY_ESMS_API_KEY", "bench",
                "GATEWAY_ESMS_SECRET_KEY", "bench",
                "QUARKUS_REST_CLIENT_ESMS_URL", esmsUrl));
        environment.put("GATEWAY_SECRETS_KEY", TestKeys.SECRETS_KEY);
        // The limiter runs (its cost is part of every figure) but does not limit the load.
        environment.put("GATEWAY_RATE_LIMITS_PER_CONSUMER", "100000");
        environment.put("GATEWAY_RATE_LIMITS_PER_OA", "100000");
        // -Dbench.env.NAME=value passes more settings to the gateway, e.g. -Dbench.env.GATEWAY_DISPATCH_CONCURRENCY=32
        System.getProperties().stringPropertyNames().stream().filter(name -> name.startsWith("bench.env."))
                .forEach(name -> environment.put(name.substring("bench.env.".length()), System.getProperty(name)));
        return environment;
    }

    static void createDatabase() throws Exception {
        try (Connection connection = TestDatabase.connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet exists = statement.executeQuery("select 1 from pg_database where datname = '" + DB + "'")) {
            if (!exists.next()) {
                statement.execute("create database " + DB);
            }
        }
        TestDatabase.migrate(DB); // as the migration Job does: the packaged gateway migrates nothing
    }

    static void clearTables() throws Exception {
        try {
            sql("truncate messages, journeys, idempotency_keys cascade");
        } catch (java.sql.SQLException noTablesYet) {
            // a new database, not migrated yet
        }
    }

    static void sql(String sql) throws Exception {
        try (Connection connection = TestDatabase.connect(DB);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The message id in a 202 answer of POST /v1/messages. */
    static String acceptedId(String answer) {
        int start = answer.indexOf("\"id\":\"") + 6;
        return answer.substring(start, answer.indexOf('"', start));
    }

    /** The first column of every row. */
    static java.util.Set<String> strings(String sql) throws Exception {
        java.util.Set<String> values = new java.util.HashSet<>();
        try (Connection connection = TestDatabase.connect(DB);
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    static String sqlText(String sql) throws Exception {
        try (Connection connection = TestDatabase.connect(DB);
                Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    static long count(String sql) throws Exception {
        try (Connection connection = TestDatabase.connect(DB);
                Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** What one load phase saw. */
    static final class Phase {
        final long[] latencies;
        final AtomicInteger recorded = new AtomicInteger();
        final AtomicInteger sent = new AtomicInteger();
        final AtomicInteger accepted = new AtomicInteger();
        final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
        final AtomicLong end = new AtomicLong();
        long start;
        int submitted;

        Phase(int capacity) {
            latencies = new long[capacity];
        }

        void record(int status, long nanos) {
            int slot = recorded.getAndIncrement();
            if (slot < latencies.length) {
                latencies[slot] = nanos;
            }
            if (status == 202) {
                accepted.incrementAndGet();
            }
            statuses.computeIfAbsent(status, ignored -> new AtomicInteger()).incrementAndGet();
            end.accumulateAndGet(System.nanoTime(), Math::max);
        }

        void await() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (recorded.get() < sent.get() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
        }

        double seconds() {
            return (end.get() - start) / 1e9;
        }

        double acceptedRate() {
            return accepted.get() / seconds();
        }

        double percentile(double p) {
            int n = Math.min(recorded.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            return percentile(sorted, p);
        }

        String describe(String name) {
            int n = Math.min(recorded.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            double seconds = seconds();
            List<String> codes = new ArrayList<>();
            statuses.forEach((status, count) -> codes.add(status + "x" + count));
            return String.format("%-34s accepted %6d (%.0f/s)  latency p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms  [%s]",
                    name, accepted.get(), accepted.get() / seconds, percentile(sorted, 0.50), percentile(sorted, 0.90),
                    percentile(sorted, 0.99), n == 0 ? 0 : sorted[n - 1] / 1e6, String.join(" ", codes));
        }

        private double percentile(long[] sorted, double p) {
            return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
        }
    }
}
