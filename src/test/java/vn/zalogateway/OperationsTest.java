package vn.zalogateway;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Management;

/** What operators and tooling see: health, metrics, the OpenAPI document in the API's own vocabulary. */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class OperationsTest {

    @Test
    void healthIsOpenAndReadinessChecksPostgres() {
        Management.given().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        Management.given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("PostgreSQL")));
        Management.given().get("/q/health/started").then().statusCode(200);
    }

    @Test
    void metricsArePrometheusWithOneSeriesPerRouteNotPerId() {
        given().auth().oauth2("test-key").get("/v1/journeys/0190a0a0-0000-7000-8000-000000000001").then().statusCode(404);
        Management.given().get("/q/metrics").then().statusCode(200)
                .body(containsString("http_server_requests_seconds_count{method=\"GET\",outcome=\"CLIENT_ERROR\",status=\"404\",uri=\"/v1/journeys/{id}\"}"))
                .body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void theOpenApiDocumentSpeaksSnakeCase() {
        Management.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/journeys'.post", notNullValue())
                .body("components.schemas.CreateJourneyRequest.properties.oa_id", notNullValue())
                .body("components.schemas.JourneyView.properties.journey_token", notNullValue())
                .body("paths.'/v1/messages'.post.requestBody.content.'application/json'.schema.'$ref'",
                        org.hamcrest.Matchers.endsWith("SendMessageRequest"))
                .body("components.schemas.SendMessageRequest.properties.template_type.enum", org.hamcrest.Matchers.hasSize(13))
                .body("components.schemas.MessageView.properties.provider_message_id", notNullValue());
        Management.given().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void thePublicPortServesTheApiOnly() {
        for (String path : java.util.List.of("/q/health", "/q/health/ready", "/q/metrics", "/q/openapi", "/q/swagger-ui/")) {
            given().get(path).then().statusCode(404);
        }
        Management.given().get("/v1/journeys").then().statusCode(404); // and the management port no API
    }

    @Test
    void unknownPathsAndMethodsAreProblemsToo() {
        given().auth().oauth2("test-key").get("/v1/nothing-here").then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
        given().auth().oauth2("test-key").delete("/v1/journeys").then().statusCode(405)
                .contentType("application/problem+json");
    }

    @Test
    void theProviderSimulatorIsAbsentUnlessTheBuildAsksForIt() {
        given().get("/simulator/settings").then().statusCode(404);
        given().contentType("text/plain").body("{}").post("/simulator/esms/MainService.svc/json/SendZaloFollowerMessage_V5_post_json/")
                .then().statusCode(404);
    }
}
