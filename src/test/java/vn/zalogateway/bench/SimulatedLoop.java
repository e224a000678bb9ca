package vn.zalogateway.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import vn.zalogateway.simulator.ProviderSimulator;
import vn.zalogateway.simulator.SimulatorSettings;

/**
 * The packaged gateway as its own process, wired to the provider simulator running in this JVM on its
 * own port: eSMS and eTelecom answer, NXCloud and eSMS call the gateway's webhooks back. The benchmarks
 * of the whole loop share it.
 */
final class SimulatedLoop implements AutoCloseable {

    static final String SECRET = "bench-webhook-secret";

    final SimulatorSettings settings;
    final ProviderSimulator simulator;
    final GatewayProcess gateway;

    /** Starts both; {@code environment} adds to (or overrides) the gateway's settings. */
    SimulatedLoop(Vertx vertx, UnaryOperator<SimulatorSettings> changes, Map<String, String> environment, String log) throws Exception {
        int gatewayPort = GatewayProcess.freePort();
        String gatewayUrl = "http://127.0.0.1:" + gatewayPort;
        settings = changes.apply(SimulatorSettings.defaults(gatewayUrl + "/v1/webhooks/nxcloud/" + SECRET));
        simulator = new ProviderSimulator(vertx, settings);
        try {
            HttpServer providers = simulator.listen(0).toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
            String simulated = "http://127.0.0.1:" + providers.actualPort();
            Map<String, String> all = new HashMap<>(MessageAcceptBenchmark.environment(simulated + ProviderSimulator.ESMS_BASE));
            all.putAll(Map.of(
                    "QUARKUS_HTTP_PORT", Integer.toString(gatewayPort),
                    "QUARKUS_REST_CLIENT_ETELECOM_URL", simulated + ProviderSimulator.ETELECOM_BASE,
                    "QUARKUS_REST_CLIENT_ESMS_STATUS_URL", simulated + ProviderSimulator.ESMS_STATUS_BASE,
                    "GATEWAY_ESMS_CALLBACK_URL", gatewayUrl + "/v1/webhooks/esms/" + SECRET,
                    "GATEWAY_WEBHOOKS_NXCLOUD_SECRET", SECRET,
                    "GATEWAY_WEBHOOKS_ESMS_SECRET", SECRET));
            all.putAll(environment);
            gateway = new GatewayProcess(all, GatewayProcess.logFile(log).toPath());
        } catch (Exception e) {
            simulator.close();
            throw e;
        }
    }

    /** Empties the benchmark database's tables, or leaves a new database to the gateway's migrations. */
    static void clearDatabase() throws Exception {
        MessageAcceptBenchmark.createDatabase();
        try {
            MessageAcceptBenchmark.sql("truncate receipts, messages, journeys, idempotency_keys, callback_events cascade");
        } catch (java.sql.SQLException noTablesYet) {
            // a new database: the gateway's migrations create them
        }
    }

    /** Waits until {@code receipts} receipts are stored and applied to their messages. */
    static void awaitReceiptsApplied(long receipts) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (MessageAcceptBenchmark.count("select count(*) from receipts where applied_at is not null") < receipts) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not every receipt was applied within 300 s");
            }
            Thread.sleep(50);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            gateway.close();
        } finally {
            simulator.close();
        }
    }
}
