package vn.zalogateway.support;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import vn.zalogateway.common.auth.ApiKeys;

/**
 * The packaged gateway (target/quarkus-app) as a separate process, the way it runs in production: what the
 * benchmarks and the fault tests start, against {@link GatewayDatabase}.
 */
public final class GatewayProcess implements AutoCloseable {

    public static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    /** The API key of the built-in consumer, in the settings {@link #environment} makes. */
    public static final String API_KEY = "bench-key";

    public final int port;
    /** Health, metrics and the OpenAPI document: the management interface's own port. */
    public final int managementPort;
    public final Duration startedIn;
    private final Process process;

    public GatewayProcess(Map<String, String> environment, Path log) throws Exception {
        this(command(), environment, log);
    }

    /** The gateway started by {@code command} (a variant: JVM flags, an AOT cache, a native binary). */
    public GatewayProcess(List<String> command, Map<String, String> environment, Path log) throws Exception {
        // A caller that must know the port before the start (a callback URL) passes QUARKUS_HTTP_PORT.
        port = environment.containsKey("QUARKUS_HTTP_PORT") ? Integer.parseInt(environment.get("QUARKUS_HTTP_PORT")) : freePort();
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        managementPort = environment.containsKey("QUARKUS_MANAGEMENT_PORT")
                ? Integer.parseInt(environment.get("QUARKUS_MANAGEMENT_PORT")) : freePort();
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        long start = System.nanoTime();
        process = builder.start();
        try {
            awaitReady();
        } catch (RuntimeException notReady) {
            process.destroyForcibly(); // no caller can close what it never got
            throw notReady;
        }
        startedIn = Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * What the last build made (target/quarkus-artifact.properties): the native binary after
     * {@code -Dnative}, else the jar, with -Dbench.jvm="-Xlog:gc -Xmx512m" as JVM options.
     */
    public static List<String> command() throws IOException {
        java.util.Properties built = new java.util.Properties();
        Path artifact = Path.of("target", "quarkus-artifact.properties");
        if (Files.exists(artifact)) {
            try (var in = Files.newInputStream(artifact)) {
                built.load(in);
            }
        }
        if ("native".equals(built.getProperty("type"))) {
            return List.of(Path.of("target").resolve(built.getProperty("path")).toString());
        }
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: run ./mvnw package first (or ./mvnw verify -Pbenchmark)");
        }
        List<String> command = new ArrayList<>(List.of(Jdk.java()));
        String extra = System.getProperty("bench.jvm", "").trim();
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(List.of("-jar", JAR.toString()));
        return command;
    }

    /** The gateway's settings for {@link GatewayDatabase} and the eSMS stand-in. */
    public static Map<String, String> environment(EsmsLatencyStub esms) {
        return environment("http://127.0.0.1:" + esms.port() + "/MainService.svc/json");
    }

    /** The gateway's settings for {@link GatewayDatabase} and an eSMS at {@code esmsUrl}. */
    public static Map<String, String> environment(String esmsUrl) {
        Map<String, String> environment = new HashMap<>(Map.of(
                "QUARKUS_DATASOURCE_REACTIVE_URL", TestDatabase.reactiveUrl(GatewayDatabase.DB),
                "QUARKUS_DATASOURCE_USERNAME", "postgres",
                "GATEWAY_API_KEY_HASHES", ApiKeys.sha256Hex(API_KEY),
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

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    public String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    /** Until its readiness answers 200 (within 60 s); a process that exits meanwhile fails at once. */
    private void awaitReady() {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready")).build();
        await().alias("the gateway ready within 60 s").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(50)).ignoreExceptionsInstanceOf(IOException.class) // still starting
                .until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("the gateway exited with " + process.exitValue());
                    }
                    return client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
                });
    }

    /** The native binary a build left in that target folder, if any. */
    public static java.util.Optional<Path> nativeRunner(Path target) throws IOException {
        if (!Files.isDirectory(target)) {
            return java.util.Optional.empty();
        }
        try (var files = Files.list(target)) {
            return files.filter(file -> file.getFileName().toString().endsWith("-runner") && Files.isExecutable(file)).findFirst();
        }
    }

    /** Resident memory of a process, from /proc. */
    public static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public long pid() {
        return process.pid();
    }

    /** kill -9: no shutdown hook, no graceful anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    /** A log file under target/. */
    public static File logFile(String name) {
        return Path.of("target", name).toFile();
    }
}
