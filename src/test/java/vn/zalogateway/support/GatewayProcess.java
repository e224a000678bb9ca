package vn.zalogateway.bench;

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
import java.util.List;
import java.util.Map;

import vn.zalogateway.support.Jdk;

/** The packaged gateway (target/quarkus-app) as a separate process, the way it runs in production. */
final class GatewayProcess implements AutoCloseable {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    final int port;
    /** Health, metrics and the OpenAPI document: the management interface's own port. */
    final int managementPort;
    final Duration startedIn;
    private final Process process;

    GatewayProcess(Map<String, String> environment, Path log) throws Exception {
        // A caller that must know the port before the start (a callback URL) passes QUARKUS_HTTP_PORT.
        port = environment.containsKey("QUARKUS_HTTP_PORT") ? Integer.parseInt(environment.get("QUARKUS_HTTP_PORT")) : freePort();
        List<String> command = command();
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        builder.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        managementPort = environment.containsKey("QUARKUS_MANAGEMENT_PORT")
                ? Integer.parseInt(environment.get("QUARKUS_MANAGEMENT_PORT")) : freePort();
        builder.environment().put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPort));
        long start = System.nanoTime();
        process = builder.start();
        awaitReady();
        startedIn = Duration.ofNanos(System.nanoTime() - start);
    }

    /**
     * What the last build made (target/quarkus-artifact.properties): the native binary after
     * {@code -Dnative}, else the jar, with -Dbench.jvm="-Xlog:gc -Xmx512m" as JVM options.
     */
    private static List<String> command() throws IOException {
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

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    String managementUrl() {
        return "http://127.0.0.1:" + managementPort;
    }

    private void awaitReady() throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create(managementUrl() + "/q/health/ready")).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the gateway exited with " + process.exitValue());
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new IllegalStateException("the gateway was not ready within 60 s");
    }

    /** Resident memory of a process, from /proc. */
    static double rssMiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for process " + pid);
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    /** kill -9: no shutdown hook, no graceful anything. */
    void kill() throws InterruptedException {
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

    static File logFile(String name) {
        return Path.of("target", name).toFile();
    }
}
