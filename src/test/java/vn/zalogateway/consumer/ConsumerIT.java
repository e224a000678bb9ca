package vn.zalogateway.consumer;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.TestDatabase;
import vn.zalogateway.support.TestKeys;

/** Consumers on the packaged app (jar, or the native binary): made, scoped, their keys revoked at once. */
@QuarkusIntegrationTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
@WithTestResource(TestDatabase.class)
class ConsumerIT {

    @Test
    void aConsumerIsMadeScopedAndItsKeyRevokedAtOnce() {
        Consumers.Made shop = Consumers.make("it-shop", List.of("3041812345605770721"), "https://shop.example/events");
        TestKeys.withKey(shop.apiKey()).get("/v1/journeys").then().statusCode(200);
        TestKeys.withKey(shop.apiKey()).body(EtelecomStub.journeyRequest("42", "0912345678", null)).post("/v1/journeys")
                .then().statusCode(403).body("type", equalTo("urn:zalo-gateway:problem:forbidden-oa"));
        TestKeys.admin().get("/v1/admin/consumers/" + shop.id()).then().statusCode(200)
                .body("callback_url", equalTo("https://shop.example/events")).body("oa_ids[0]", equalTo("3041812345605770721"));
        TestKeys.admin().post("/v1/admin/consumers/" + shop.id() + "/callback-secret").then().statusCode(201)
                .body("callback_secret", startsWith("whsec_"));

        TestKeys.admin().delete("/v1/admin/consumers/" + shop.id() + "/keys/" + shop.keyId()).then().statusCode(204);
        TestKeys.withKey(shop.apiKey()).get("/v1/journeys").then().statusCode(401);
        given().auth().oauth2(TestKeys.KEY).get("/v1/admin/consumers").then().statusCode(403);
    }
}
