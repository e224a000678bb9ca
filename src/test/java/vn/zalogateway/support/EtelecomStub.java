package vn.zalogateway.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * eTelecom over real HTTP: a WireMock server on a free port, serving the shop base path. Tests get
 * the server through {@link InjectWireMock} and stub it per test.
 */
public class EtelecomStub implements QuarkusTestResourceLifecycleManager {

    public static final String BASE_PATH = "/v1/shop.Zalo";
    public static final String CREATE_JOURNEY = BASE_PATH + "/CreateJourney";
    public static final String API_KEY = "test-etelecom-key";

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().asynchronousResponseEnabled(true));
        server.start();
        return Map.of(
                "quarkus.rest-client.etelecom.url", server.baseUrl() + BASE_PATH,
                "gateway.etelecom.api-key", API_KEY,
                // Consumer keys "test-key" and "other-test-key" (also for the packaged app in *IT).
                "gateway.api-key-hashes", TestKeys.HASHES);
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server,
                new TestInjector.AnnotatedAndMatchesType(InjectWireMock.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
