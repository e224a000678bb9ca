package vn.zalogateway.bench;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import vn.zalogateway.support.Jdk;

/**
 * Cold start of the packaged gateway: time from process start to the first {@code 200} of
 * {@code GET /q/health/ready} (on the management port) and to the first {@code 202} of {@code POST /v1/messages}, and resident
 * memory idle and after 10,000 requests, for the JVM jar (Temurin 25), the same with AppCDS, the same
 * with the JDK 25 AOT cache, and the native binary when {@code target/*-runner} exists. Each starts as
 * deployed on Kubernetes (the migration Job has run, so no Flyway at start); the AOT cache and native
 * variants also start as dev mode does, migrating at start, for comparison.
 * Run: {@code ./mvnw verify -Pbenchmark -Dit.test=ColdStartBenchmark} (add {@code -Dnative} with a
 * GraalVM to include the native binary).
 */
@Tag("benchmark")
class ColdStartBenchmark {

    static final int RUNS = Integer.getInteger("bench.cold.runs", 5);
    static final int REQUESTS = Integer.getInteger("bench.cold.requests", 10_000);
    static final int IN_FLIGHT = 32;
    static final Path WORK = Path.of("target", "cold-start");

    /** How a variant starts; migrateAtStart as in dev mode, otherwise as deployed (a Job migrated before). */
    record Variant(String name, List<String> command, List<String> training, boolean migrateAtStart) {
    }

    record Run(double readyMs, double firstMessageMs, double idleRssMiB, double loadedRssMiB) {
    }

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Test
    void coldStart() throws Exception {
        Files.createDirectories(WORK);
        MessageAcceptBenchmark.createDatabase();
        MessageAcceptBenchmark.clearTables();
        Vertx vertx = Vertx.vertx();
        String body = MessageAcceptBenchmark.messageBody();
        StringBuilder report = new StringBuilder(String.format(
                "cold start: median of %d runs each; RSS idle 2 s after ready, and after %,d POST /v1/messages (%d in flight)%n",
                RUNS, REQUESTS, IN_FLIGHT));
        try {
            Map<String, String> environment = MessageAcceptBenchmark.environment(new EsmsLatencyStub(vertx, 20));
            warmUpClient(body);
            report.append(migrationJob(environment));
            for (Variant variant : variants()) {
                Map<String, String> started = new java.util.HashMap<>(environment);
                started.put("QUARKUS_FLYWAY_MIGRATE_AT_START", Boolean.toString(variant.migrateAtStart()));
                if (!variant.training().isEmpty()) {
                    // A training run whose exit writes the archive or cache; not measured.
                    measure(variant.training(), started, body, variant.name() + "-training", true);
                }
                List<Run> runs = new ArrayList<>();
                for (int i = 0; i < RUNS; i++) {
                    runs.add(measure(variant.command(), started, body, variant.name(), i == RUNS - 1));
                }
                report.append(String.format("%-36s ready %7.0f ms   first message %7.0f ms   RSS idle %5.0f MiB   after %,d requests %5.0f MiB%n",
                        variant.name(), MessageAcceptBenchmark.median(runs, Run::readyMs), MessageAcceptBenchmark.median(runs, Run::firstMessageMs),
                        MessageAcceptBenchmark.median(runs, Run::idleRssMiB), REQUESTS, runs.get(runs.size() - 1).loadedRssMiB()));
                for (Run run : runs) {
                    report.append(String.format("%36s   %7.0f ms   %19.0f ms   %13.0f MiB%n", "", run.readyMs(),
                            run.firstMessageMs(), run.idleRssMiB()));
                }
            }
            System.out.println("\n=== Cold start benchmark ===\n" + report);
            Files.writeString(Path.of("target", "benchmark-cold-start.txt"), report);
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    List<Variant> variants() throws IOException {
        String java = Jdk.java();
        String jar = GatewayProcess.JAR.toString();
        Path cds = WORK.resolve("app-cds.jsa");
        Path aot = WORK.resolve("app.aot");
        Path aotMigrating = WORK.resolve("app-migrating.aot");
        for (Path archive : List.of(cds, aot, aotMigrating)) {
            Files.deleteIfExists(archive);
        }
        List<Variant> variants = new ArrayList<>(List.of(
                new Variant("jvm", List.of(java, "-jar", jar), List.of(), false),
                new Variant("jvm + AppCDS", List.of(java, "-XX:SharedArchiveFile=" + cds, "-jar", jar),
                        List.of(java, "-XX:SharedArchiveFile=" + cds, "-XX:+AutoCreateSharedArchive", "-jar", jar), false),
                new Variant("jvm + AOT cache", List.of(java, "-XX:AOTCache=" + aot, "-jar", jar),
                        List.of(java, "-XX:AOTCacheOutput=" + aot, "-jar", jar), false),
                new Variant("jvm + AOT cache, Flyway at start", List.of(java, "-XX:AOTCache=" + aotMigrating, "-jar", jar),
                        List.of(java, "-XX:AOTCacheOutput=" + aotMigrating, "-jar", jar), true)));
        try (var files = Files.list(Path.of("target"))) {
            files.filter(file -> file.getFileName().toString().endsWith("-runner") && Files.isExecutable(file)).findFirst()
                    .ifPresent(runner -> {
                        variants.add(new Variant("native", List.of(runner.toString()), List.of(), false));
                        variants.add(new Variant("native, Flyway at start", List.of(runner.toString()), List.of(), true));
                    });
        }
        return variants;
    }

    /** Migrates the benchmark database as the Kubernetes Job does (init mode: migrate, exit); how long that took. */
    String migrationJob(Map<String, String> environment) throws Exception {
        String java = Jdk.java();
        ProcessBuilder job = new ProcessBuilder(java, "-jar", GatewayProcess.JAR.toString()).redirectErrorStream(true)
                .redirectOutput(WORK.resolve("migration-job.log").toFile());
        job.environment().putAll(environment);
        job.environment().put("QUARKUS_INIT_AND_EXIT", "true");
        job.environment().put("QUARKUS_FLYWAY_MIGRATE_AT_START", "true");
        long start = System.nanoTime();
        Process process = job.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the migration job exits").isTrue();
        assertThat(process.exitValue()).as("the migration job's exit code").isZero();
        return String.format("migration job (jar, init mode): exit 0 after %.0f ms%n", (System.nanoTime() - start) / 1e6);
    }

    Run measure(List<String> command, Map<String, String> environment, String body, String name, boolean load) throws Exception {
        int port = GatewayProcess.freePort();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(WORK.resolve(name.replaceAll("[^a-zA-Z0-9-]", "_") + ".log").toFile());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        int managementPort = GatewayProcess.freePort();
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        String base = "http://127.0.0.1:" + port;
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                .timeout(Duration.ofSeconds(2)).build();
        HttpRequest message = message(base, body);
        long start = System.nanoTime();
        Process process = builder.start();
        try {
            double readyMs = untilStatus(process, ready, 200, start);
            double firstMessageMs = untilStatus(process, message, 202, start);
            Thread.sleep(2_000);
            double idle = GatewayProcess.rssMiB(process.pid());
            double loaded = load ? load(message) : Double.NaN;
            double loadedRss = load ? GatewayProcess.rssMiB(process.pid()) : Double.NaN;
            return new Run(readyMs, firstMessageMs, idle, loadedRss);
        } finally {
            process.destroy(); // SIGTERM: a training run writes its archive on the way out
            if (!process.waitFor(180, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        }
    }

    /** Milliseconds from process start to the first answer with the status, polling every 2 ms. */
    double untilStatus(Process process, HttpRequest request, int status, long start) throws Exception {
        long deadline = start + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + process.exitValue());
            }
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == status) {
                    return (System.nanoTime() - start) / 1e6;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("no " + status + " within 60 s from " + request.uri());
    }

    /** REQUESTS accepted messages, IN_FLIGHT at a time; the number accepted. */
    double load(HttpRequest message) throws Exception {
        AtomicInteger accepted = new AtomicInteger();
        AtomicInteger sent = new AtomicInteger();
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        for (int w = 0; w < IN_FLIGHT; w++) {
            workers.add(CompletableFuture.runAsync(() -> {
                while (sent.incrementAndGet() <= REQUESTS) {
                    try {
                        if (http.send(message, HttpResponse.BodyHandlers.discarding()).statusCode() == 202) {
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
                .header("Authorization", "Bearer " + MessageAcceptBenchmark.KEY).header("Content-Type", "application/json")
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
