package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import vn.zalogateway.support.EsmsLatencyStub;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.Jdk;
import vn.zalogateway.support.Statistics;

/**
 * Cold start of the packaged gateway against the floor of its own stack ({@link FloorApp}), measured side by
 * side in one run: alternating starts of the two, same database server and database, same JVM flags, same
 * native toolchain. Per start: time from process start to the first {@code 200} of {@code /q/health/ready}
 * (management port), to the first answer of the real work (the gateway's first {@code 202} of
 * {@code POST /v1/messages}, the floor's first {@code 200} of {@code GET /items/1}), and resident memory
 * 2 s after ready. Variants: the JVM jar (Temurin 25), the same with the JDK 25 AOT cache (each app trained
 * by a run of its own), and the native binaries when {@code target/*-runner} exists (the floor's is then built
 * with the same toolchain), plain and with the heap bounds the Deployment sets ({@code -Dbench.cold.native-xmx},
 * {@code -Dbench.cold.native-xmn}). The database is migrated first, as the migration Job does before serving
 * pods start. One more start of each, JVM and native, prints where start-up time goes per Quarkus processor.
 * Run: {@code ./mvnw verify -Pbenchmark -Dit.test=ColdStartBenchmark}, after {@code ./mvnw verify -Dnative}
 * with a GraalVM to include the native binaries.
 */
@Tag("benchmark")
class ColdStartBenchmark {

    static final int RUNS = Integer.getInteger("bench.cold.runs", 5);
    static final int REQUESTS = Integer.getInteger("bench.cold.requests", 10_000);
    static final int IN_FLIGHT = 32;
    static final Path WORK = Path.of("target", "cold-start");
    static final Pattern STEP = Pattern.compile("Build step (\\w+)\\.(\\w+) completed in: (\\d+)ms");

    /** How one application starts, and what its first real request is. */
    record App(String name, List<String> command, Map<String, String> environment, Function<String, HttpRequest> work,
            int workStatus) {

        App with(List<String> jvmFlags, String suffix) {
            List<String> flagged = new ArrayList<>(command.subList(0, 1));
            flagged.addAll(jvmFlags);
            flagged.addAll(command.subList(1, command.size()));
            return new App(name + suffix, flagged, environment, work, workStatus);
        }
    }

    /** A way of starting both: the gateway and the floor with the same flags; training runs (AOT) first. */
    record Variant(String name, App gateway, App floor, App gatewayTraining, App floorTraining) {
    }

    record Run(double readyMs, double workMs, double idleRssMiB, double loadedRssMiB) {
    }

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void coldStart() throws Exception {
        Files.createDirectories(WORK);
        boolean nativeImage = GatewayProcess.nativeRunner(Path.of("target")).isPresent();
        FloorApp.build(nativeImage);
        GatewayDatabase.createDatabase(); // migrated, as the Job leaves it
        GatewayDatabase.clearTables();
        FloorApp.createTable(GatewayDatabase.DB);
        Vertx vertx = Vertx.vertx();
        String body = GatewayCalls.messageBody();
        StringBuilder report = new StringBuilder(String.format(
                "cold start: median of %d alternating starts of each app; RSS 2 s after ready (and after %,d requests, %d in flight, on the last start)%n",
                RUNS, REQUESTS, IN_FLIGHT));
        StringBuilder summary = new StringBuilder();
        try {
            Map<String, String> gatewayEnvironment = GatewayProcess.environment(new EsmsLatencyStub(vertx, 20));
            warmUpClient(body);
            for (Variant variant : variants(gatewayEnvironment, body)) {
                for (App training : java.util.Arrays.asList(variant.gatewayTraining(), variant.floorTraining())) {
                    if (training != null) {
                        measure(training, true); // its exit writes the cache; not measured
                    }
                }
                List<Run> gateway = new ArrayList<>();
                List<Run> floor = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    boolean last = i == RUNS - 1;
                    gateway.add(measure(variant.gateway(), last));
                    floor.add(measure(variant.floor(), last));
                }
                report.append(describe(variant.name(), gateway, floor));
                summary.append(summaryLine(variant.name(), gateway, floor)).append('\n');
                if (variant.name().equals("jvm") || variant.name().equals("native")) {
                    report.append(startupSteps(variant));
                }
            }
            String text = "\n=== Cold start benchmark ===\n" + report + "\n" + summary;
            System.out.println(text);
            Files.writeString(Path.of("target", "benchmark-cold-start.txt"), text);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    List<Variant> variants(Map<String, String> gatewayEnvironment, String body) throws IOException {
        String java = Jdk.java();
        App gatewayJar = new App("gateway", List.of(java, "-jar", GatewayProcess.JAR.toString()), gatewayEnvironment,
                base -> message(base, body), 202);
        App floorJar = new App("floor", List.of(java, "-jar", FloorApp.JAR.toString()),
                FloorApp.environment(GatewayDatabase.DB), ColdStartBenchmark::floorRead, 200);
        Path gatewayAot = WORK.resolve("gateway.aot");
        Path floorAot = WORK.resolve("floor.aot");
        for (Path cache : List.of(gatewayAot, floorAot)) {
            Files.deleteIfExists(cache);
        }
        List<Variant> variants = new ArrayList<>(List.of(
                new Variant("jvm", gatewayJar, floorJar, null, null),
                new Variant("jvm + AOT cache", gatewayJar.with(List.of("-XX:AOTCache=" + gatewayAot), " aot"),
                        floorJar.with(List.of("-XX:AOTCache=" + floorAot), " aot"),
                        gatewayJar.with(List.of("-XX:AOTCacheOutput=" + gatewayAot), " aot training"),
                        floorJar.with(List.of("-XX:AOTCacheOutput=" + floorAot), " aot training"))));
        Optional<Path> gatewayRunner = GatewayProcess.nativeRunner(Path.of("target"));
        Optional<Path> floorRunner = GatewayProcess.nativeRunner(FloorApp.PROJECT.resolve("target"));
        if (gatewayRunner.isPresent() && floorRunner.isPresent()) {
            variants.add(new Variant("native",
                    new App("gateway native", List.of(gatewayRunner.get().toString()), gatewayEnvironment, base -> message(base, body), 202),
                    new App("floor native", List.of(floorRunner.get().toString()), floorJar.environment(), ColdStartBenchmark::floorRead, 200),
                    null, null));
            // The heap bounds the Deployment could set (-Xmx, -Xmn), on both apps alike.
            List<String> heap = List.of("-Xmx" + System.getProperty("bench.cold.native-xmx", "64m"),
                    "-Xmn" + System.getProperty("bench.cold.native-xmn", "16m"));
            Variant unbounded = variants.get(variants.size() - 1);
            variants.add(new Variant("native " + String.join(" ", heap), unbounded.gateway().with(heap, " heap"),
                    unbounded.floor().with(heap, " heap"), null, null));
        }
        return variants;
    }

    static HttpRequest floorRead(String base) {
        return HttpRequest.newBuilder(URI.create(base + "/items/1")).timeout(Duration.ofSeconds(5)).GET().build();
    }

    /** The line the issue asks for, per variant. */
    static String summaryLine(String variant, List<Run> gateway, List<Run> floor) {
        double ready = Statistics.median(gateway, Run::readyMs);
        double floorReady = Statistics.median(floor, Run::readyMs);
        double rss = Statistics.median(gateway, Run::idleRssMiB);
        double floorRss = Statistics.median(floor, Run::idleRssMiB);
        return String.format("cold start %s: ready %.0f ms (floor %.0f ms, ratio %.2f), rss %.0f MiB (floor %.0f MiB, ratio %.2f)",
                variant, ready, floorReady, ready / floorReady, rss, floorRss, rss / floorRss);
    }

    static String describe(String variant, List<Run> gateway, List<Run> floor) {
        double work = Statistics.median(gateway, Run::workMs);
        double floorWork = Statistics.median(floor, Run::workMs);
        StringBuilder text = new StringBuilder(String.format(
                "%s%n  first 202 of POST /v1/messages %.0f ms (floor's first GET %.0f ms, ratio %.2f); RSS after %,d requests %.0f MiB (floor %.0f MiB)%n",
                summaryLine(variant, gateway, floor), work, floorWork, work / floorWork, REQUESTS,
                gateway.get(gateway.size() - 1).loadedRssMiB(), floor.get(floor.size() - 1).loadedRssMiB()));
        for (int i = 0; i < gateway.size(); i++) {
            text.append(String.format("  start %d: gateway ready %6.0f ms, work %6.0f ms, rss %4.0f MiB | floor ready %6.0f ms, work %6.0f ms, rss %4.0f MiB%n",
                    i + 1, gateway.get(i).readyMs(), gateway.get(i).workMs(), gateway.get(i).idleRssMiB(),
                    floor.get(i).readyMs(), floor.get(i).workMs(), floor.get(i).idleRssMiB()));
        }
        return text.toString();
    }

    /**
     * Where start-up time goes: one more start of each (JVM jar, native) with Quarkus' own timing of its runtime build steps
     * ({@code quarkus.debug.print-startup-times}), summed per processor, the gateway's largest first.
     */
    String startupSteps(Variant variant) throws Exception {
        List<String> flag = List.of("-Dquarkus.debug.print-startup-times=true");
        App gateway = variant.gateway().with(flag, " steps");
        App floor = variant.floor().with(flag, " steps");
        measure(gateway, false);
        measure(floor, false);
        Map<String, Long> gatewaySteps = steps(logOf(gateway));
        Map<String, Long> floorSteps = steps(logOf(floor));
        StringBuilder text = new StringBuilder(String.format(
                "  start-up steps (%s, one more start each; ms per Quarkus processor at run time): gateway %d ms in all, floor %d ms%n",
                variant.name(),                gatewaySteps.values().stream().mapToLong(Long::longValue).sum(), floorSteps.values().stream().mapToLong(Long::longValue).sum()));
        gatewaySteps.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(20)
                .forEach(step -> text.append(String.format("    %-40s gateway %5d ms   floor %5s%n", step.getKey(), step.getValue(),
                        floorSteps.containsKey(step.getKey()) ? floorSteps.get(step.getKey()) + " ms" : "-")));
        return text.toString();
    }

    static Map<String, Long> steps(String log) {
        Map<String, Long> perProcessor = new java.util.HashMap<>();
        Matcher step = STEP.matcher(log);
        while (step.find()) {
            perProcessor.merge(step.group(1), Long.parseLong(step.group(3)), Long::sum);
        }
        return perProcessor;
    }

    static Path logFile(App app) {
        return WORK.resolve(app.name().replaceAll("[^a-zA-Z0-9-]", "_") + ".log");
    }

    static String logOf(App app) throws IOException {
        return Files.readString(logFile(app));
    }

    Run measure(App app, boolean load) throws Exception {
        int port = GatewayProcess.freePort();
        int managementPort = GatewayProcess.freePort();
        ProcessBuilder builder = new ProcessBuilder(app.command()).redirectErrorStream(true).redirectOutput(logFile(app).toFile());
        builder.environment().putAll(app.environment());
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        builder.environment().put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false"); // the steps' timing lines are plain text
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        HttpRequest work = app.work().apply("http://127.0.0.1:" + port);
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            double readyMs = untilStatus(process, ready, 200, start);
            double workMs = untilStatus(process, work, app.workStatus(), start);
            Thread.sleep(2_000); // not a wait: the resident memory reported is the one 2 s after the first answer
            double idle = GatewayProcess.rssMiB(process.pid());
            double loaded = load ? load(work, app.workStatus()) : Double.NaN;
            double loadedRss = load ? GatewayProcess.rssMiB(process.pid()) : Double.NaN;
            return new Run(readyMs, workMs, idle, loadedRss);
        } finally {
            process.destroy(); // SIGTERM: a training run writes its cache on the way out
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Milliseconds from process start to the first answer with the status (within 60 s of it), polling every 2 ms. */
    double untilStatus(Process process, HttpRequest request, int status, long start) {
        long[] answeredAt = new long[1];
        await().alias("a " + status + " within 60 s from " + request.uri())
                .atMost(Duration.ofNanos(Math.max(1, start + TimeUnit.SECONDS.toNanos(60) - System.nanoTime())))
                .pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                .ignoreExceptionsInstanceOf(IOException.class) // not listening yet
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the app exited with " + process.exitValue() + " before " + request.uri());
                    }
                    boolean answered = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == status;
                    answeredAt[0] = System.nanoTime();
                    return answered;
                });
        return (answeredAt[0] - start) / 1e6;
    }

    /** REQUESTS requests answered with the status, IN_FLIGHT at a time; the number answered so. */
    double load(HttpRequest message, int status) throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < IN_FLIGHT; w++) {
            workers.add(CompletableFuture.runAsync(() -> {
                while (sent.incrementAndGet() <= REQUESTS) {
                    try {
                        if (http.send(message, HttpResponse.BodyHandlers.discarding()).statusCode() == status) {
                            accepted.incrementAndGet();
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        CompletableFuture.allOf(workers.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
        assertThat(accepted.get()).isEqualTo(REQUESTS);
        return accepted.get();
    }

    HttpRequest message(String base, String body) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/messages")).timeout(Duration.ofSeconds(5))
                .header("Authorization", "Bearer " + GatewayProcess.API_KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The client's own first-use costs stay out of the figures: a few refused connections warm it up. */
    void warmUpClient(String body) throws Exception {
        int closed = GatewayProcess.freePort();
        for (int i = 0; i < 20; i++) {
            try {
                http.send(message("http://127.0.0.1:" + closed, body), HttpResponse.BodyHandlers.discarding());
            } catch (IOException expected) {
                // connection refused: only the client warms up
            }
        }
    }
}
