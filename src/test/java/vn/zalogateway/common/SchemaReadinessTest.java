package vn.zalogateway.common;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.Management;

/** A pod is ready only on a database with every migration it was built with. */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class SchemaReadinessTest {

    private static final Pattern VERSIONED = Pattern.compile("V(\\d+)__.+\\.sql");

    @Inject
    AgroalDataSource dataSource;

    @Test
    void theExpectedVersionIsTheNewestMigration() throws IOException {
        List<String> names;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/migration"))) {
            names = files.map(file -> file.getFileName().toString()).sorted().toList();
        }
        int newest = 0;
        for (String name : names) {
            Matcher versioned = VERSIONED.matcher(name);
            assertThat(versioned.matches()).as("%s: migrations are V<whole number>__<name>.sql (the readiness check compares numbers)", name)
                    .isTrue();
            newest = Math.max(newest, Integer.parseInt(versioned.group(1)));
        }
        assertThat(SchemaReadiness.SCHEMA_VERSION).as("SchemaReadiness.SCHEMA_VERSION").isEqualTo(newest);
    }

    @Test
    void readyOnTheCurrentSchema() {
        Management.given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'Database schema' }.status", equalTo("UP"))
                .body("checks.find { it.name == 'Database schema' }.data.applied", equalTo(SchemaReadiness.SCHEMA_VERSION))
                .body("checks.find { it.name == 'Database schema' }.data.expected", equalTo(SchemaReadiness.SCHEMA_VERSION));
    }

    @Test
    void notReadyWhileTheNewestMigrationIsMissing() {
        Rows rows = new Rows(dataSource);
        String newest = Integer.toString(SchemaReadiness.SCHEMA_VERSION);
        rows.update("update flyway_schema_history set success = false where version = ?", newest);
        try {
            Management.given().get("/q/health/ready").then().statusCode(503)
                    .body("checks.find { it.name == 'Database schema' }.status", equalTo("DOWN"))
                    .body("checks.find { it.name == 'Database schema' }.data.applied", equalTo(SchemaReadiness.SCHEMA_VERSION - 1));
            Management.given().get("/q/health/live").then().statusCode(200); // alive: only traffic waits for the migration
        } finally {
            rows.update("update flyway_schema_history set success = true where version = ?", newest);
        }
        Management.given().get("/q/health/ready").then().statusCode(200).body("checks.name", hasItem("Database schema"));
    }

    @Test
    void aDatabaseNeverMigratedIsNotReady() {
        HealthCheckResponse verdict = SchemaReadiness.verdict(null);
        assertThat(verdict.getStatus()).isEqualTo(HealthCheckResponse.Status.DOWN);
        assertThat(verdict.getData()).get().extracting(data -> data.get("applied")).isEqualTo(0L);
    }
}
