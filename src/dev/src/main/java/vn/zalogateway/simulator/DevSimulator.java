package vn.zalogateway.simulator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.Config;

import io.quarkus.arc.profile.UnlessBuildProfile;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.ShutdownEvent;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;

/**
 * Mounts the provider simulator at {@value #PATH} of the running app. The bean exists only when
 * {@code simulator.enabled=true} at build time and the build is not the prod profile's: dev mode
 * sets it, tests may (a test profile). A production build never has this class at all (src/dev).
 */
@ApplicationScoped
@IfBuildProperty(name = "simulator.enabled", stringValue = "true")
@UnlessBuildProfile("prod")
class DevSimulator {

    static final String PATH = "/simulator";

    private ProviderSimulator simulator;

    void mount(@Observes Router router, Vertx vertx, Config config) {
        // By default the receipts come back to this very app, on the port it listens on.
        int port = LaunchMode.current() == LaunchMode.TEST
                ? config.getOptionalValue("quarkus.http.test-port", Integer.class).orElse(8081)
                : config.getOptionalValue("quarkus.http.port", Integer.class).orElse(8080);
        String webhook = config.getOptionalValue("simulator.nxcloud-webhook-url", String.class)
                .orElseGet(() -> "http://localhost:" + port + "/v1/webhooks/nxcloud/"
                        + config.getOptionalValue("gateway.webhooks.nxcloud-secret", String.class).orElse("unset"));
        simulator = new ProviderSimulator(vertx, SimulatorSettings.from(webhook,
                name -> config.getOptionalValue("simulator." + name, String.class)));
        router.route(PATH + "/*").subRouter(simulator.router());
        Log.infof("Provider simulator for eTelecom and eSMS at %s, knobs at %s%s, NXCloud receipts to %s", PATH, PATH,
                ProviderSimulator.SETTINGS, webhook);
    }

    void close(@Observes ShutdownEvent shutdown) {
        if (simulator != null) {
            simulator.close();
        }
    }
}
