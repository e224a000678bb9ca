package vn.zalogateway.support;

import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;

/** The management interface (health, metrics, OpenAPI) of the app under test: its own port, 9001 in tests. */
public final class Management {

    /** Quarkus' management test port, for {@code @QuarkusTest} and {@code @QuarkusIntegrationTest} alike. */
    public static final int TEST_PORT = 9001;

    private Management() {
    }

    public static RequestSpecification given() {
        return RestAssured.given().port(TEST_PORT);
    }
}
