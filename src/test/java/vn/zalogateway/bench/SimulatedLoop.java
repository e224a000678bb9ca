package vn.zalogateway.bench;

import static org.awaitility.Awaitility.await;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.vertx.core.Vertx;
import vn.zalogateway.simulator.ProviderSimulator;
import vn.zalogateway.simulator.SimulatorSettings;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.SimulatorProcess;

/**
 * The packaged gateway as its own process, wired to the provider simulator running in this JVM on its
 * own port: eSMS and eTelecom answer, NXCloud and eSMS call the gateway's webhooks back. The benchmarks
 * of the whole loop share it.
 */
final class SimulatedLoop implements AutoCloseable {

    /** The providers of the whole-loop benchmarks: answers after 20 ms, receipts 200 ms apart. */
    static final String LATENCY = "20ms";
    static final String RECEIPT_DELAY = "200ms";

    static final String SECRET = "bench-webhook-secret";

    final SimulatorSettings settings;
    /** The simulator in this JVM, or null when it runs as its own process ({@link #simulatorProcess}). */
    final ProviderSimulator simulator;
    final Process simulatorProcess;
    final GatewayProcess gateway;
    private final String simulated;

    /** Starts both, the simulator in this JVM; {@code environment} adds to (or overrides) the gateway's settings. */
    SimulatedLoop(Vertx vertx, UnaryOperator<SimulatorSettings> changes, Map<String, String> environment, String log) throws Exception {
        this(vertx, changes, environment, log, false);
    }

    /** Starts both; with {@code ownProcess} the simulator runs as a process of its own ({@link SimulatorProcess}). */
    SimulatedLoop(Vertx vertx, UnaryOperator<SimulatorSettings> changes, Map<String, String> environment, String log,
            boolean ownProcess) throws Exception {
        this(vertx, changes, environment, log, ownProcess, GatewayProcess.command());
    }

    /** Starts both, the gateway by {@code gatewayCommand} (a variant of how it runs). */
    SimulatedLoop(Vertx vertx, UnaryOperator<SimulatorSettings> changes, Map<String, String> environment, String log,
            boolean ownProcess, List<String> gatewayCommand) throws Exception {
        int gatewayPort = GatewayProcess.freePort();
        String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
        String webhook = gatewayUrl + "/v1/webhooks/nxcloud/" + SECRET;
        // A day's quota no benchmark spends (the simulator's default 5,000 is the flow's warm-up): a spent quota rightly
        // holds the OA's messages until midnight, and the loop's next step waited for them in vain.
        settings = changes.apply(SimulatorSettings.defaults(webhook).with("daily-quota", Integer.toString(SimulatorSettings.LARGEST_QUOTA)));
        int simulatorPort;
        if (ownProcess) {
            simulator = null;
            simulatorProcess = startSimulator(webhook);
            simulatorPort = awaitListening(simulatorProcess);
        } else {
            simulator = new ProviderSimulator(vertx, settings);
            simulatorProcess = null;
            simulatorPort = simulator.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS).actualPort();
        }
        try {
            simulated = "http://127.0.0.1:" + simulatorPort;
            Map<String, String> all = new HashMap<>(GatewayProcess.environment(simulated + ProviderSimulator.ESMS_BASE));
            all.putAll(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(gatewayPort),
                    "QUARKUS_REST_CLIENT_ETELECOM_URL", simulated + ProviderSimulator.ETELECOM_BASE,
                    "QUARKUS_REST_CLIENT_ESMS_STATUS_URL", simulated + ProviderSimulator.ESMS_STATUS_BASE,
                    "GATEWAY_ESMS_CALLBACK_URL", gatewayUrl + "/v1/webhooks/esms/" + SECRET,
                    "GATEWAY_WEBHOOKS_NXCLOUD_SECRET", SECRET,
                    "GATEWAY_WEBHOOKS_ESMS_SECRET", SECRET));
            all.putAll(environment);
            gateway = new GatewayProcess(gatewayCommand, all, GatewayProcess.logFile(log).toPath());
        } catch (Exception e) {
            stopSimulator();
            throw e;
        }
    }

    /** The simulator's own JVM (src/dev's classes where this JVM found them, the app's libraries), with this loop's settings. */
    private Process startSimulator(String webhook) throws java.io.IOException {
        String simulatorClasses;
        try {
            simulatorClasses = Path.of(ProviderSimulator.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        List<String> command = new ArrayList<>(List.of(vn.zalogateway.support.Jdk.java(), "-Xmx512m", "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                "-cp", simulatorClasses + ":target/quarkus-app/lib/boot/*:target/quarkus-app/lib/main/*:target/test-classes"));
        command.add("-Dsimulator.latency=" + settings.latency().toMillis() + "ms");
        command.add("-Dsimulator.receipt-delay=" + settings.receiptDelay().toMillis() + "ms");
        command.add("-Dsimulator.receipts=" + String.join(",", settings.receipts().stream()
                .map(receipt -> receipt.name().toLowerCase(java.util.Locale.ROOT)).toList()));
        command.add("-Dsimulator.daily-quota=" + settings.dailyQuota());
        command.addAll(List.of(SimulatorProcess.class.getName(), webhook));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static int awaitListening(Process process) throws java.io.IOException {
        var lines = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                java.nio.charset.StandardCharsets.UTF_8));
        for (String line; (line = lines.readLine()) != null;) {
            if (line.startsWith("simulator listening on ")) {
                int port = Integer.parseInt(line.substring("simulator listening on ".length()).trim());
                // Keep draining its output, or it blocks once the pipe is full.
                Thread drain = new Thread(() -> lines.lines().forEach(ignored -> { }), "simulator-output");
                drain.setDaemon(true);
                drain.start();
                return port;
            }
        }
        throw new IllegalStateException("the simulator process exited before it listened");
    }

    /** What the simulator has done, wherever it runs. */
    ProviderSimulator.Counts counts() throws Exception {
        if (simulator != null) {
            return simulator.counts();
        }
        String json = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(simulated + ProviderSimulator.COUNTS)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        io.vertx.core.json.JsonObject counts = new io.vertx.core.json.JsonObject(json);
        return new ProviderSimulator.Counts(counts.getLong("journeys"), counts.getLong("messages"), counts.getLong("sms"),
                counts.getLong("receipts_taken"), counts.getLong("receipts_abandoned"));
    }

    /** Changes the simulator's settings while it runs, e.g. {@code {"receipts": []}}. */
    void changeSettings(String json) throws Exception {
        var answer = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(simulated + ProviderSimulator.SETTINGS)).header("Content-Type", "application/json")
                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(json)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("the simulator refused " + json + ": " + answer.body());
        }
    }

    /** The simulator process's id, or this JVM's when it runs here. */
    long simulatorPid() {
        return simulatorProcess != null ? simulatorProcess.pid() : ProcessHandle.current().pid();
    }

    private void stopSimulator() throws InterruptedException {
        if (simulator != null) {
            simulator.close();
        } else {
            simulatorProcess.destroy();
            simulatorProcess.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** Empties the benchmark database's tables, or leaves a new database to the gateway's migrations. */
    static void clearDatabase() throws Exception {
        GatewayDatabase.createDatabase();
        try {
            GatewayDatabase.sql("truncate receipts, messages, journeys, idempotency_keys, callback_events cascade");
        } catch (java.sql.SQLException noTablesYet) {
            // a new database: the gateway's migrations create them
        }
    }

    /** Waits until {@code receipts} receipts of this run (not of its history) are stored and applied to their messages. */
    static void awaitReceiptsApplied(long receipts) {
        await("every receipt applied").atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofMillis(50))
                .until(() -> GatewayDatabase.count("select count(*) from receipts where applied_at is not null and "
                        + NOT_HISTORY) >= receipts);
    }

    /** Rows of the run, not of {@link #seedHistory}'s history (receipts and messages carry ext 'history' there). */
    static final String NOT_HISTORY = "ext is distinct from 'history'";

    /**
     * A production-like past (issue 34): {@code messages} DELIVERED messages of the last 30 days, each with the
     * NXCloud success and delivered receipts that moved it (raw bodies of the webhook's size), then VACUUM and ANALYZE, so
     * that the loop's statements run on tables with a history and statistics, as after weeks in production.
     */
    static void seedHistory(int messages) throws Exception {
        if (messages <= 0) {
            return;
        }
        long started = System.nanoTime();
        GatewayDatabase.sql("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, "
                + "zalo_status, provider_message_id, ext, created_at, updated_at, submitted_at) select "
                + "'00000000-0000-7000-8000-000000000001', gen_random_uuid(), 1, '1', 'transaction_order', 'VI', '{}', 'DELIVERED', "
                + "'DELIVERED', 'history-' || i, 'history', now() - (i % 43200) * interval '1 minute', now() - (i % 43200) * interval '1 minute', "
                + "now() - (i % 43200) * interval '1 minute' from generate_series(1, " + messages + ") i");
        for (String status : List.of("success", "delivered")) {
            GatewayDatabase.sql("insert into receipts (provider, natural_key, valid, status, code, message, request_id, oa_id, sent_at, "
                    + "cost_currency, cost_amount, remaining_quota, daily_quota, ext, raw_body, received_at, message_ref, applied_at) "
                    + "select 'nxcloud', '" + status + "|' || m.provider_message_id, true, '" + status + "', 0, 'Successfully sent.', "
                    + "m.provider_message_id, null, m.created_at, 'USD', 0.01, 4999, 5000, 'history', '"
                    + GatewayCalls.nxcloudSuccess(1, 1).replace("'", "''") + "', m.created_at, m.id, m.created_at "
                    + "from messages m where m.ext = 'history'");
        }
        // Vacuumed as well as analysed, as weeks of autovacuum leave a table: else autovacuum's first pass over three
        // million new rows (and their twenty indexes) would run during the measurement.
        GatewayDatabase.sql("vacuum (analyze) messages, receipts");
        System.out.printf("history: %d DELIVERED messages and %d receipts of the last 30 days, vacuumed and analysed, in %d s%n", messages,
                2L * messages, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started));
    }

    @Override
    public void close() throws Exception {
        try {
            gateway.close();
        } finally {
            stopSimulator();
        }
    }
}
