package vn.zalogateway.support;

import java.util.Optional;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import vn.zalogateway.simulator.ProviderSimulator;
import vn.zalogateway.simulator.SimulatorSettings;

/**
 * The provider simulator as a process of its own, so that a benchmark of the whole loop charges neither
 * its work nor the load generator's to the gateway's machine share unseen (it has its own CPU figure).
 * Arguments: the gateway's NXCloud webhook URL; knobs as {@code -Dsimulator.latency=20ms} and so on.
 * Prints {@code simulator listening on <port>} once it listens.
 */
public final class SimulatorProcess {

    private SimulatorProcess() {
    }

    public static void main(String[] args) throws Exception {
        SimulatorSettings settings = SimulatorSettings.from(args[0],
                name -> Optional.ofNullable(System.getProperty("simulator." + name)));
        Vertx vertx = Vertx.vertx();
        ProviderSimulator simulator = new ProviderSimulator(vertx, settings);
        HttpServer server = simulator.listen(0).toCompletionStage().toCompletableFuture().get();
        System.out.println("simulator listening on " + server.actualPort());
        System.out.flush();
        Thread.currentThread().join(); // until the benchmark destroys the process
    }
}
