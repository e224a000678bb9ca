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
    public static final String SEND_ZNS_JOURNEY = BASE_PATH + "/SendZNSJourney";
    /** An OA connected to the shop, with its Zalo quota today (GET /v1/oas/{oa_id}/quota asks it when eSMS cannot). */
    public static final String GET_SHOP_OA = BASE_PATH + "/GetShopOA";
    /** An OA's ZNS templates, a page at a time. */
    public static final String LIST_TEMPLATES = BASE_PATH + "/ListTemplates";

    /**
     * eTelecom's SendZNSJourney answer (its public docs), as a WireMock response template: the msg_id is
     * {@code msg-<tracking_id>}, so each message's provider reference is known to the test.
     */
    public static final String SENT_ZNS_JOURNEY = """
            {
              "id": "1188000000000000001",
              "msg_id": "msg-{{jsonPath request.body '$.tracking_id'}}",
              "journey_id": "{{jsonPath request.body '$.journey_id'}}",
              "error_code": 0,
              "error_message": "",
              "is_charged": true,
              "fee_main": 300,
              "fee_token": "250",
              "delivery_status": "sending",
              "sent_time": "2036-11-23T03:00:01Z"
            }""";
    /** SendZNSJourney's refusal: Zalo knows no account for the phone (-118); nothing was sent. */
    public static final String REFUSED_ZNS_JOURNEY =
            "{\"id\": \"\", \"msg_id\": \"\", \"error_code\": -118, \"error_message\": \"Zalo account not existed\"}";
    public static final String API_KEY = "test-etelecom-key";

    /**
     * The seed's response shape, with values a real token would have; dated years ahead, so that the
     * token has not expired on the day the tests run (an expired token reads EXPIRED).
     */
    public static final String CREATED_JOURNEY = """
            {
              "created_at": "2036-11-23T03:00:00Z",
              "error_code": 0,
              "error_message": "",
              "expired_at": "2036-11-30T03:00:00Z",
              "id": "1155112233445566778",
              "is_charged": false,
              "journey_id": "1260521234558967296",
              "journey_token": "jt_3f9a8c7e1d",
              "phone": "84912345678",
              "status": "Z",
              "updated_at": "2036-11-23T03:00:00Z"
            }""";

    /** A POST /v1/journeys body; the token type is left out when null. */
    public static String journeyRequest(String oaId, String phone, String tokenType) {
        StringBuilder json = new StringBuilder("{\"oa_id\": \"" + oaId + "\", \"phone\": \"" + phone + "\"");
        if (tokenType != null) {
            json.append(", \"token_type\": \"").append(tokenType).append('"');
        }
        return json.append('}').toString();
    }

    private WireMockServer server;

    @Override
    public Map<String, String> start() {
        // A free port of its own rather than a dynamic one: a test that stops the server (connections refused) starts
        // it again where the gateway's client looks.
        try {
            server = new WireMockServer(wireMockConfig().port(GatewayProcess.freePort()).asynchronousResponseEnabled(true));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        server.start();
        return Map.of(
                "quarkus.rest-client.etelecom.url", server.baseUrl() + BASE_PATH,
                "gateway.etelecom.api-key", API_KEY,
                // Consumer keys "test-key" and "other-test-key", the admin key, the secrets key (also for the
                // packaged app in *IT, where the prod profile requires a secrets key).
                "gateway.api-key-hashes", TestKeys.HASHES,
                "gateway.admin-key-hashes", TestKeys.ADMIN_HASHES,
                "gateway.secrets.key", TestKeys.SECRETS_KEY,
                "gateway.callbacks.allow-http", "true",
                "gateway.callbacks.allow-private-networks", "true",
                // The packaged app in *IT runs the prod profile, whose management port is 9000: use the tests' one.
                "quarkus.management.port", Integer.toString(Management.TEST_PORT));
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

    /** An OA id no other test uses (Zalo's are 19 digits). */
    public static String newOa() {
        return Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE));
    }

    /** eTelecom's template object as ListTemplates lists it: one required string and one optional number. */
    public static String listedTemplate(long id, String status) {
        return """
                {"template_id": "%d", "template_name": "Delivery update",
                 "template_params": [
                   {"name": "order_code", "type": "STRING", "require": true, "accept_null": false, "min_length": 3, "max_length": 10},
                   {"name": "weight_kg", "type": "NUMBER", "require": false, "accept_null": false, "min_length": 1, "max_length": 6}],
                 "template_status": "%s", "template_quality": "HIGH", "template_tag": "IN_TRANSACTION",
                 "apply_template_quota": true, "template_daily_quota": 500, "template_remaining_quota": 480}""".formatted(id, status);
    }
}
