package vn.zalogateway.soak;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.vertx.core.json.JsonObject;
import vn.zalogateway.support.SimulatorProcess;
import vn.zalogateway.simulator.ProviderSimulator;
import vn.zalogateway.simulator.SimulatorFaults;
import vn.zalogateway.simulator.SimulatorJournal;
import vn.zalogateway.support.Jdk;

/**
 * The provider simulator in a JVM of its own ({@link SimulatorProcess}), its output in target/soak-simulator.log; driven
 * and read over its HTTP knobs: {@code /settings}, {@code /faults}, {@code /journal}.
 */
final class SimulatorRun implements AutoCloseable {

    private final Process process;
    final String url;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    SimulatorRun(String nxcloudWebhook, Map<String, String> knobs) throws Exception {
        String classes;
        try {
            classes = Path.of(ProviderSimulator.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = new ArrayList<>(List.of(Jdk.java(), "-Xmx512m",
                "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", classes + ":target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*:target/test-classes"));
        knobs.forEach((name, value) -> command.add("-Dsimulator." + name + "=" + value));
        command.addAll(List.of(SimulatorProcess.class.getName(), nxcloudWebhook));
        process = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintStream log = new PrintStream(Files.newOutputStream(Path.of("target", "soak-simulator.log")), true, StandardCharsets.UTF_8);
        int port = -1;
        for (String line; (line = lines.readLine()) != null;) {
            log.println(line);
            if (line.startsWith("simulator listening on ")) {
                port = Integer.parseInt(line.substring("simulator listening on ".length()).trim());
                break;
            }
        }
        if (port < 0) {
            throw new IllegalStateException("the simulator exited before it listened: see target/soak-simulator.log");
        }
        Thread drain = new Thread(() -> lines.lines().forEach(log::println), "soak-simulator-output");
        drain.setDaemon(true);
        drain.start();
        url = "http://127.0.0.1:" + port;
    }

    JsonObject get(String path) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("GET " + path + ": " + answer.statusCode() + " " + answer.body());
        }
        return new JsonObject(answer.body());
    }

    void put(String path, JsonObject body) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body.encode())).build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("PUT " + path + " " + body.encode() + ": " + answer.statusCode() + " " + answer.body());
        }
    }

    void faults(JsonObject changes) throws Exception {
        put(SimulatorFaults.PATH, changes);
    }

    void settings(JsonObject changes) throws Exception {
        put(ProviderSimulator.SETTINGS, changes);
    }

    JsonObject journal(String part) throws Exception {
        return get(SimulatorJournal.PATH + part);
    }

    @Override
    public void close() throws Exception {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
