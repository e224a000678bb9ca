package vn.zalogateway.support;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** eSMS over real HTTP: a WireMock server on a free port. Tests get it through {@link InjectEsms}. */
public class EsmsStub implements QuarkusTestResourceLifecycleManager {

    public static final String BASE_PATH = "/MainService.svc/json";
    public static final String SEND = BASE_PATH + "/SendZaloFollowerMessage_V5_post_json/";
    /** eSMS's brandname SMS, which SMS fallbacks go through. */
    public static final String SEND_SMS = BASE_PATH + "/SendMultipleMessage_V4_post_json/";
    public static final String GET_CALLBACK = "/ZaloCallback/GetCallback";
    /** An OA's Zalo quota today (GET /v1/oas/{oa_id}/quota asks it). */
    public static final String GET_QUOTA = BASE_PATH + "/ZNS/GetQuota/";
    public static final String API_KEY = "test-esms-api-key";
    public static final String SECRET_KEY = "test-esms-secret-key";
    public static final String CALLBACK_URL = "https://gateway.shop.vn/v1/webhooks/esms/s3cret";

    /** The init argument that leaves gateway.esms.callback-url unset ({@code callback-url=none}). */
    public static final String CALLBACK_URL_ARG = "callback-url";

    private WireMockServer server;
    private boolean withCallbackUrl = true;

    @Override
    public void init(Map<String, String> initArgs) {
        withCallbackUrl = !"none".equals(initArgs.get(CALLBACK_URL_ARG));
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(wireMockConfig().dynamicPort().asynchronousResponseEnabled(true)
                .containerThreads(64));
        server.start();
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "quarkus.rest-client.esms.url", server.baseUrl() + BASE_PATH,
                "quarkus.rest-client.esms-status.url", server.baseUrl(),
                "gateway.esms.api-key", API_KEY,
                "gateway.esms.secret-key", SECRET_KEY,
                // The webhooks' secrets, for the packaged app in *IT (the test profile has its own).
                "gateway.webhooks.nxcloud-secret", "test-nxcloud-secret",
                "gateway.webhooks.esms-secret", "test-esms-secret"));
        if (withCallbackUrl) {
            config.put("gateway.esms.callback-url", CALLBACK_URL);
        }
        return config;
    }

    @Override
    public void inject(TestInjector injector) {
        injector.injectIntoFields(server, new TestInjector.AnnotatedAndMatchesType(InjectEsms.class, WireMockServer.class));
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
