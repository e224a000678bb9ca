package vn.zalogateway.journey;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.TestDatabase;
import vn.zalogateway.support.TestKeys;
import vn.zalogateway.support.Management;

/** The packaged application (jar, or the native binary with -Dnative) against the same eTelecom stub. */
@QuarkusIntegrationTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
@WithTestResource(TestDatabase.class)
class JourneyIT {

    @InjectWireMock
    WireMockServer etelecom;

    @BeforeEach
    void reset() {
        etelecom.resetAll();
    }

    @Test
    void createsReadsAndListsAJourney() {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(EtelecomStub.CREATED_JOURNEY)));
        String phone = "0912" + (100000 + (int) (System.nanoTime() % 900000));

        String id = given().auth().oauth2(TestKeys.KEY).contentType(ContentType.JSON)
                .header("Idempotency-Key", "it-" + phone)
                .body(EtelecomStub.journeyRequest("3041812345605770721", phone, "token_coach_bus_30"))
                .post("/v1/journeys")
                .then().statusCode(201)
                .body("status", equalTo("NEW"))
                .body("token_type", equalTo("token_coach_bus_30"))
                .body("journey_token", equalTo("jt_3f9a8c7e1d"))
                .extract().path("id");

        given().auth().oauth2(TestKeys.KEY).get("/v1/journeys/" + id).then().statusCode(200);
        etelecom.verify(1, postRequestedFor(urlEqualTo(EtelecomStub.CREATE_JOURNEY))
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + EtelecomStub.API_KEY))
                .withRequestBody(equalToJson("{\"oa_id\": \"" + "3041812345605770721" + "\", \"phone\": \"84"
                        + phone.substring(1) + "\", \"token_type\": \"token_coach_bus_30\"}")));

        given().auth().oauth2(TestKeys.KEY).get("/v1/journeys/" + id).then().statusCode(200).body("id", equalTo(id));
        given().auth().oauth2(TestKeys.KEY).queryParam("phone", phone).get("/v1/journeys")
                .then().statusCode(200).body("items[0].id", equalTo(id));
        given().auth().oauth2(TestKeys.KEY).contentType(ContentType.JSON).header("Idempotency-Key", "it-" + phone)
                .body(EtelecomStub.journeyRequest("3041812345605770721", phone, "token_coach_bus_30"))
                .post("/v1/journeys").then().statusCode(201).header("Idempotent-Replayed", equalTo("true"))
                .body("id", equalTo(id));
    }

    @Test
    void refusalsAndBadInputAreProblems() {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error_code\": 7, \"error_message\": \"Số điện thoại chưa đăng ký Zalo\"}")));

        given().auth().oauth2(TestKeys.KEY).contentType(ContentType.JSON)
                .body(EtelecomStub.journeyRequest("3041812345605770721", "0912345678", null)).post("/v1/journeys")
                .then().statusCode(422).contentType("application/problem+json")
                .body("provider_code", equalTo("7"))
                .body("provider_message", equalTo("Số điện thoại chưa đăng ký Zalo"));

        given().auth().oauth2(TestKeys.KEY).contentType(ContentType.JSON).body("{\"oa_id\": {}, \"phone\": 1}")
                .post("/v1/journeys").then().statusCode(400).contentType("application/problem+json")
                .body("violations[0].field", equalTo("oa_id"));
        given().contentType(ContentType.JSON).body("{}").post("/v1/journeys").then().statusCode(401);
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        // The packaged app answers health, metrics and the OpenAPI document on the management port only.
        for (String path : java.util.List.of("/q/health/ready", "/q/metrics", "/q/openapi")) {
            given().get(path).then().statusCode(404);
            Management.given().get(path).then().statusCode(200);
        }
    }
}
