package vn.zalogateway.receipt;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;

/**
 * Over HTTP: a webhook with an allow-list refuses a sender outside it (403, whatever the secret), believes
 * X-Forwarded-For only from a trusted proxy, and takes either of two secrets during a rotation.
 */
@QuarkusTest
@TestProfile(WebhookSourcesProfileTest.Restricted.class)
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class WebhookSourcesProfileTest {

    /** NXCloud from 203.0.113.0/24 only; the test's own address (127.0.0.1) plays the ingress controller. */
    public static class Restricted implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.webhooks.nxcloud-allowed-cidrs", "203.0.113.0/24",
                    "gateway.webhooks.trusted-proxies", "127.0.0.1/32",
                    "gateway.webhooks.nxcloud-secret", "old-secret,new-secret");
        }
    }

    static final String RECEIPT = """
            {"status": "success", "requestId": "ffffffff-0000-7000-8000-000000000000", "code": 0}""";

    @Test
    void onlyTheProvidersNetworksGetIn() {
        post("old-secret", null).then().statusCode(403).body("type", endsWith("forbidden-source"))
                .body("instance", org.hamcrest.Matchers.equalTo("/v1/webhooks/nxcloud/***"));
        post("old-secret", "198.51.100.7").then().statusCode(403);
        post("old-secret", "203.0.113.9").then().statusCode(200);
    }

    @Test
    void bothSecretsWorkDuringARotation() {
        post("old-secret", "203.0.113.9").then().statusCode(200);
        post("new-secret", "203.0.113.9").then().statusCode(200);
        post("another-secret", "203.0.113.9").then().statusCode(401);
    }

    private static io.restassured.response.Response post(String secret, String forwardedFor) {
        var request = given().contentType("application/json").body(RECEIPT);
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return request.post("/v1/webhooks/nxcloud/" + secret);
    }
}
