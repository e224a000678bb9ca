package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.Jdk;
import vn.zalogateway.support.LoadPhase;
import vn.zalogateway.support.MessageLoad;
import vn.zalogateway.support.TestDatabase;

/**
 * The first minute after a cold start, what a pod scaled up from zero meets: the gateway starts, and from
 * the moment it is ready messages arrive at 150/s for 60 s, through the whole loop (the provider simulator
 * in its own process answers and sends the three receipts). Per variant (the JVM jar, the jar with the JDK's
 * AOT cache trained by a run of its own, the native binary when the build made one): when the loop caught up
 * (the first second after which every second's messages reach DELIVERED within the bound, p99), the backlog's
 * peak (accepted and not yet DELIVERED, sampled every 250 ms) and the run's p99 of 202 to DELIVERED.
 * Run: {@code ./mvnw verify -Pbenchmark -Dit.test=FirstMinuteBenchmark} (after {@code -Dnative} for the binary).
 */
@Tag("benchmark")
class FirstMinuteBenchmark {

    static final int RATE = Integer.getInteger("bench.first-minute.rate", 150);
    static final int SECONDS = Integer.getInteger("bench.first-minute.seconds", 60);
    /** A second's messages "kept up" when their p99 of 202 to DELIVERED is within this. */
    static final long KEPT_UP_MS = Long.getLong("bench.first-minute.kept-up-ms", 2_000);
    static final int TRAINING_SECONDS = Integer.getInteger("bench.first-minute.training", 30);
    static final Path WORK = Path.of("target", "first-minute");

    record Variant(String name, List<String> command, List<String> training) {
    }

    record Result(String variant, long readyMs, Integer caughtUpAfter, long backlogPeak, double p99, List<double[]> seconds) {
        String summary() {
            return String.format("first minute %s: caught up after %s, backlog peak %d, p99 202-to-DELIVERED %.0f ms",
                    variant, caughtUpAfter == null ? "never (" + SECONDS + " s)" : caughtUpAfter + " s", backlogPeak, p99);
        }
    }

    @Test
    void theLoopKeepsUpFromItsFirstSeconds() throws Exception {
        Files.createDirectories(WORK);
        List<Result> results = new ArrayList<>();
        for (Variant variant : variants()) {
            if (variant.training() != null) {
                run(variant.name() + " training", variant.training(), TRAINING_SECONDS); // writes the cache on exit
            }
            results.add(run(variant.name(), variant.command(), SECONDS));
        }
        StringBuilder report = new StringBuilder("=== First minute after a cold start: " + RATE + " msg/s from the first second ===\n");
        for (Result result : results) {
            report.append(result.summary()).append(String.format("%n  ready %d ms; p99 202-to-DELIVERED per second:", result.readyMs()));
            for (double[] second : result.seconds()) {
                report.append(String.format(" %.0f", second[1]));
            }
            report.append('\n');
        }
        String database = GatewayDatabase.sqlText("select 'PostgreSQL ' || current_setting('server_version') || ', autovacuum '"
                + " || current_setting('autovacuum') || ', messages ' || (select count(*) from messages)");
        report.append("database: ").append(database).append('\n');
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-first-minute.txt"), report);
        results.forEach(result -> assertThat(result.seconds()).as(result.variant() + ": every second's messages delivered").hasSizeGreaterThanOrEqualTo(SECONDS - 1));
    }

    List<Variant> variants() throws Exception {
        List<String> jvm = new ArrayList<>(List.of(Jdk.java()));
        String flags = System.getProperty("bench.jvm", "").trim();
        if (!flags.isEmpty()) {
            jvm.addAll(List.of(flags.split("\\s+")));
        }
        Path aot = WORK.resolve("gateway.aot");
        Files.deleteIfExists(aot);
        List<Variant> variants = new ArrayList<>(List.of(
                new Variant("jvm", with(jvm, List.of("-jar", GatewayProcess.JAR.toString())), null),
                new Variant("jvm + AOT cache", with(jvm, List.of("-XX:AOTCache=" + aot, "-jar", GatewayProcess.JAR.toString())),
                        with(jvm, List.of("-XX:AOTCacheOutput=" + aot, "-jar", GatewayProcess.JAR.toString())))));
        Optional<Path> runner = GatewayProcess.nativeRunner(Path.of("target"));
        runner.ifPresent(binary -> variants.add(new Variant("native", List.of(binary.toString()), null)));
        String only = System.getProperty("bench.first-minute.variants", "");
        return only.isBlank() ? variants : variants.stream().filter(variant -> List.of(only.split(",")).contains(variant.name())).toList();
    }

    private static List<String> with(List<String> head, List<String> tail) {
        List<String> all = new ArrayList<>(head);
        all.addAll(tail);
        return all;
    }

    /** One cold start of {@code command} on empty tables, the load from its readiness on, until every message is DELIVERED. */
    private static Result run(String name, List<String> command, int seconds) throws Exception {
        SimulatedLoop.clearDatabase();
        Vertx vertx = Vertx.vertx();
        // The flow's providers (20 ms answers, receipts 200 ms apart): with the simulator's defaults (receipts 2 s apart)
        // a message takes 6 s to be DELIVERED however idle the gateway, and no second ever "kept up".
        try (SimulatedLoop loop = new SimulatedLoop(vertx, defaults -> defaults.with("latency", SimulatedLoop.LATENCY)
                .with("receipt-delay", SimulatedLoop.RECEIPT_DELAY), Map.of(),
                "benchmark-first-minute-" + name.replaceAll("[^a-z0-9]+", "-") + ".log", true, command)) {
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(loop.gateway.port).setKeepAlive(true), new PoolOptions().setHttp1MaxSize(128));
            String start = GatewayDatabase.sqlText("select now()::text");
            AtomicLong backlogPeak = new AtomicLong();
            Thread sampler = new Thread(() -> sampleBacklog(backlogPeak), "backlog");
            sampler.setDaemon(true);
            sampler.start();
            LoadPhase load;
            try {
                load = new MessageLoad().openLoop(vertx, client, Buffer.buffer(GatewayCalls.messageBody()), RATE, seconds);
                SimulatedLoop.awaitReceiptsApplied(load.accepted.get() * 3L);
            } finally {
                sampler.interrupt();
                sampler.join();
            }
            List<double[]> perSecond = perSecondP99(start);
            Integer caughtUp = null;
            for (int i = perSecond.size() - 1; i >= 0 && perSecond.get(i)[1] <= KEPT_UP_MS; i--) {
                caughtUp = (int) perSecond.get(i)[0];
            }
            return new Result(name, loop.gateway.startedIn.toMillis(), caughtUp, backlogPeak.get(),
                    GatewayDatabase.millis(GatewayDatabase.P99, start), perSecond);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** Accepted and not yet DELIVERED, every 250 ms, the largest seen. */
    private static void sampleBacklog(AtomicLong peak) {
        try (Connection connection = TestDatabase.connect(GatewayDatabase.DB); Statement statement = connection.createStatement()) {
            while (!Thread.currentThread().isInterrupted()) {
                try (ResultSet rows = statement.executeQuery("select count(*) from messages where status <> 'DELIVERED'")) {
                    rows.next();
                    peak.accumulateAndGet(rows.getLong(1), Math::max);
                }
                Thread.sleep(250); // a sampling period, not a wait for an event
            }
        } catch (InterruptedException done) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** {second since the load began, p99 of 202 to DELIVERED in ms of the messages accepted in it}, in order. */
    private static List<double[]> perSecondP99(String start) throws Exception {
        List<double[]> seconds = new ArrayList<>();
        try (Connection connection = TestDatabase.connect(GatewayDatabase.DB); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("select floor(extract(epoch from m.created_at - '" + start + "'::timestamptz)) s, "
                        + GatewayDatabase.P99 + " from (select m.created_at, extract(epoch from r.received_at - m.created_at) * 1000 ms"
                        + " from messages m join receipts r on r.message_ref = m.id where r.status = 'delivered') m group by 1 order by 1")) {
            while (rows.next()) {
                seconds.add(new double[] {rows.getDouble(1), rows.getDouble(2)});
            }
        }
        return seconds;
    }
}
