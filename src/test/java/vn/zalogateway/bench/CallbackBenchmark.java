package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonObject;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.LoadPhase;
import vn.zalogateway.support.MessageLoad;
import vn.zalogateway.support.StandardWebhooks;
import vn.zalogateway.support.Statistics;
import vn.zalogateway.support.TestKeys;

/**
 * What status callbacks cost. The whole loop (providers simulated, as in {@link FlowBenchmark}) runs in
 * rounds at the same rate, without and with a callback URL on the consumer (off-on, on-off, ...), and the
 * gateway process's CPU time per delivered message is compared round by round; then a backlog of
 * callback events is drained to measure deliveries per second and CPU per delivery alone. The receiver
 * runs in this JVM, checks every signature and answers after 20 ms.
 * Run: {@code ./mvnw verify -Pbenchmark -Dit.test=CallbackBenchmark}.
 */
@Tag("benchmark")
class CallbackBenchmark {

    static final int RATE = Integer.getInteger("bench.callbacks.rate", 50);
    static final int SECONDS = Integer.getInteger("bench.callbacks.seconds", 15);
    static final int ROUNDS = Integer.getInteger("bench.callbacks.rounds", 4);
    static final int WARM_UP_SECONDS = Integer.getInteger("bench.callbacks.warm-up", 120);
    static final int BACKLOG = Integer.getInteger("bench.callbacks.backlog", 5_000);
    static final int RECEIVER_MILLIS = Integer.getInteger("bench.callbacks.receiver-ms", 20);
    static final String DEFAULT_CONSUMER = "00000000-0000-7000-8000-000000000001";

    final Set<String> received = ConcurrentHashMap.newKeySet();
    final AtomicLong requests = new AtomicLong();
    final AtomicLong badSignatures = new AtomicLong();
    volatile String secret;

    @Test
    void callbacksCostLittleOfTheLoop() throws Exception {
        SimulatedLoop.clearDatabase();
        Vertx vertx = Vertx.vertx();
        HttpServer receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            requests.incrementAndGet();
            if (!StandardWebhooks.verify(secret, request.getHeader("webhook-id"), request.getHeader("webhook-timestamp"),
                    body.toString(StandardCharsets.UTF_8), request.getHeader("webhook-signature"))) {
                badSignatures.incrementAndGet();
            }
            received.add(request.getHeader("webhook-id"));
            vertx.setTimer(RECEIVER_MILLIS, timer -> request.response().setStatusCode(204).end());
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        String callbackUrl = "http://127.0.0.1:" + receiver.actualPort() + "/zalo-events";
        Map<String, String> environment = Map.of(
                "GATEWAY_ADMIN_KEY_HASHES", TestKeys.ADMIN_HASHES,
                "GATEWAY_CALLBACKS_ALLOW_HTTP", "true",
                "GATEWAY_CALLBACKS_ALLOW_PRIVATE_NETWORKS", "true");
        try (SimulatedLoop loop = new SimulatedLoop(vertx, defaults -> defaults.with("latency", SimulatedLoop.LATENCY)
                .with("receipt-delay", SimulatedLoop.RECEIPT_DELAY).with("receipts", "success,delivered,esms_callback"),
                environment, "benchmark-callbacks-gateway.log")) {
            Admin admin = new Admin(loop.gateway.baseUrl());
            secret = new JsonObject(admin.call("POST", "/callback-secret", null)).getString("callback_secret");
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(loop.gateway.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(128));
            Buffer body = Buffer.buffer(GatewayCalls.messageBody());
            MessageLoad load = new MessageLoad();

            admin.call("PATCH", "", new JsonObject().put("callback_url", callbackUrl).encode());
            load.openLoop(vertx, client, body, RATE, WARM_UP_SECONDS); // warm-up: JIT, pools, both paths
            settle(load, true);

            List<Round> rounds = new ArrayList<>();
            for (int r = 0; r < ROUNDS; r++) {
                // off-on, on-off, ...: the JIT's and the machine's drift weigh on both sides alike
                for (boolean callbacks : r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                    admin.call("PATCH", "", new JsonObject().put("callback_url", callbacks ? callbackUrl : null).encode());
                    rounds.add(round(vertx, client, body, load, loop.gateway, callbacks));
                }
            }
            admin.call("PATCH", "", new JsonObject().put("callback_url", callbackUrl).encode());
            Backlog backlog = drain(loop.gateway);

            double off = Statistics.median(rounds.stream().filter(round -> !round.callbacks).toList(), Round::cpuMicrosPerMessage);
            double on = Statistics.median(rounds.stream().filter(round -> round.callbacks).toList(), Round::cpuMicrosPerMessage);
            StringBuilder report = new StringBuilder(String.format("""
                    === Status callbacks: their cost in the whole loop, and a backlog drained ===
                    gateway (JVM %s); providers simulated (eSMS 20 ms, receipts 200 ms apart); receiver answers after %d ms, checks every signature
                    after %d s of warm-up, rounds of %d s at %d messages/s, without and with a callback URL (off-on, on-off, ...) (gateway CPU from the start of a round until every message is DELIVERED and every callback answered):
                    """, Runtime.version(), RECEIVER_MILLIS, WARM_UP_SECONDS, SECONDS, RATE));
            rounds.forEach(round -> report.append(round.describe()).append('\n'));
            report.append(String.format("""
                    median gateway CPU per delivered message: %.0f us without callbacks, %.0f us with (%.1f callbacks each): %+.1f%% (target: at most +15%%)
                    backlog: %d events delivered in %.2f s = %.0f callbacks/s (%s in flight per consumer, receiver %d ms: ceiling %s/s); gateway CPU %.0f us per callback
                    receiver: %d requests, %d distinct webhook-ids, %d bad signatures; events FAILED %d, still PENDING %d
                    """, off, on, rounds.stream().filter(round -> round.callbacks).mapToDouble(Round::callbacksPerMessage).average().orElse(0),
                    (on - off) / off * 100, backlog.events, backlog.seconds, backlog.events / backlog.seconds,
                    inFlightPerConsumer(), RECEIVER_MILLIS, ceiling(), backlog.cpuMicros / backlog.events,
                    requests.get(), received.size(), badSignatures.get(),
                    GatewayDatabase.count("select count(*) from callback_events where status = 'FAILED'"),
                    GatewayDatabase.count("select count(*) from callback_events where status = 'PENDING'")));
            System.out.println(report);
            Files.writeString(Path.of("target", "benchmark-callbacks.txt"), report);

            assertThat(badSignatures.get()).isZero();
            assertThat(GatewayDatabase.count("select count(*) from callback_events where status <> 'DELIVERED'")).isZero();
            assertThat(GatewayDatabase.strings("select id::text from callback_events")).isEqualTo(received);
            assertThat(GatewayDatabase.count("select count(*) from messages where status <> 'DELIVERED'")).isZero();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private Round round(Vertx vertx, HttpClient client, Buffer body, MessageLoad load, GatewayProcess gateway,
            boolean callbacks) throws Exception {
        long eventsBefore = GatewayDatabase.count("select count(*) from callback_events");
        String since = GatewayDatabase.sqlText("select now()::text");
        Duration cpuBefore = cpu(gateway);
        long start = System.nanoTime();
        LoadPhase phase = load.openLoop(vertx, client, body, RATE, SECONDS);
        settle(load, callbacks);
        double seconds = (System.nanoTime() - start) / 1e9;
        Duration cpu = cpu(gateway).minus(cpuBefore);
        long events = GatewayDatabase.count("select count(*) from callback_events") - eventsBefore;
        double p50 = GatewayDatabase.millis(GatewayDatabase.P50, since);
        return new Round(callbacks, phase.accepted.get(), events, seconds, cpu, p50);
    }

    /** Waits until every accepted message is DELIVERED with its receipts, and every callback event answered. */
    private void settle(MessageLoad load, boolean callbacks) throws Exception {
        SimulatedLoop.awaitReceiptsApplied(load.acceptedIds.size() * 3L);
        await().alias("settled within 300 s").atMost(Duration.ofSeconds(300)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(20))
                .until(() -> GatewayDatabase.count("select count(*) from messages where status <> 'DELIVERED'") == 0
                        && !(callbacks && GatewayDatabase.count("select count(*) from callback_events where status = 'PENDING'") > 0));
    }

    /** Events written straight into the table (copies of a real one, each its own subject), then delivered. */
    private Backlog drain(GatewayProcess gateway) throws Exception {
        Duration cpuBefore = cpu(gateway);
        long start = System.nanoTime();
        GatewayDatabase.sql("insert into callback_events (id, consumer_id, event_type, subject_id, sequence, data, "
                + "next_attempt_at, created_at, updated_at) select uuid_v7(), consumer_id, event_type, s.subject, 1, "
                + "e.data || jsonb_build_object('id', s.subject, 'sequence', 1), now(), now(), now() "
                + "from (select gen_random_uuid() as subject from generate_series(1, " + BACKLOG + ")) s, "
                + "(select * from callback_events where event_type = 'message.status_changed' limit 1) e");
        await().alias("the backlog delivered within 300 s").atMost(Duration.ofSeconds(300)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> GatewayDatabase.count("select count(*) from callback_events where status = 'PENDING'") == 0);
        return new Backlog(BACKLOG, (System.nanoTime() - start) / 1e9, cpu(gateway).minus(cpuBefore).toNanos() / 1e3);
    }

    private static Duration cpu(GatewayProcess gateway) {
        return ProcessHandle.of(gateway.pid()).orElseThrow().info().totalCpuDuration().orElseThrow();
    }

    private static String inFlightPerConsumer() {
        return System.getProperty("bench.env.GATEWAY_CALLBACKS_IN_FLIGHT_PER_CONSUMER", "8");
    }

    private static String ceiling() {
        return Long.toString(Long.parseLong(inFlightPerConsumer()) * 1000 / RECEIVER_MILLIS);
    }

    record Round(boolean callbacks, long messages, long events, double seconds, Duration cpu, double deliveredP50) {
        double cpuMicrosPerMessage() {
            return cpu.toNanos() / 1e3 / messages;
        }

        double callbacksPerMessage() {
            return (double) events / messages;
        }

        String describe() {
            return String.format("  %-17s %5d messages, %5d callbacks, settled in %5.1f s, gateway CPU %6.2f s = %5.0f us per message; 202 to DELIVERED p50 %.0f ms",
                    callbacks ? "with callbacks" : "without callbacks", messages, events, seconds, cpu.toNanos() / 1e9,
                    cpuMicrosPerMessage(), deliveredP50);
        }
    }

    record Backlog(long events, double seconds, double cpuMicros) {
    }

    /** The administrators' API on the default consumer. */
    record Admin(String baseUrl) {
        String call(String method, String path, String json) throws Exception {
            HttpResponse<String> answer = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(baseUrl + "/v1/admin/consumers/" + DEFAULT_CONSUMER + path))
                    .header("Authorization", "Bearer " + TestKeys.ADMIN_KEY).header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).as(method + " " + path + ": " + answer.body()).isBetween(200, 299);
            return answer.body();
        }
    }
}
