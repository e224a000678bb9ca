package vn.zalogateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import vn.zalogateway.common.SchemaReadiness;
import vn.zalogateway.support.Jdk;
import vn.zalogateway.support.TestDatabase;

/**
 * The migration Job's container as {@code deploy/base/migrate-job.yaml} writes it: the migrations artifact
 * ({@code src/migrations}, built before the integration tests) against a new database migrates it to the
 * newest version, serves nothing, and exits 0; run again, it changes nothing. The serving artifact has no
 * Flyway at all ({@code ProductionBuildIT}).
 */
class MigrationJobIT {

    static final String DB = "zalo_gateway_migrate_it";
    static final Path ARTIFACT = Path.of("src", "migrations", "target", "quarkus-app", "quarkus-run.jar");

    @Test
    void theJobMigratesANewDatabaseThenExits() throws Exception {
        TestDatabase.recreate(DB);
        Map<String, String> environment = new HashMap<>();
        for (String variable : jobEnvironment()) {
            environment.put(variable, switch (variable) {
                case "QUARKUS_DATASOURCE_JDBC_URL" -> TestDatabase.jdbcUrl(DB);
                case "QUARKUS_DATASOURCE_USERNAME" -> TestDatabase.USER;
                case "QUARKUS_DATASOURCE_PASSWORD" -> "";
                default -> throw new AssertionError("the Job sets " + variable + ", which this test does not know");
            });
        }
        environment.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");
        assertThat(ARTIFACT).as("the migrations artifact, built by the invoker before the integration tests").exists();

        for (String run : List.of("first", "again")) {
            Path log = Path.of("target", "migration-job-" + run + ".log");
            Process process = startJob(environment, log);
            boolean exited = process.waitFor(90, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            String output = Files.readString(log);
            assertThat(exited).as("the %s run exits by itself:%n%s", run, output).isTrue();
            assertThat(process.exitValue()).as("exit code of the %s run:%n%s", run, output).isZero();
            assertThat(output).as("it serves nothing").doesNotContain("Listening on");
            assertThat(appliedVersions()).as("after the %s run", run).hasSize(SchemaReadiness.SCHEMA_VERSION)
                    .last().isEqualTo(Integer.toString(SchemaReadiness.SCHEMA_VERSION));
        }
    }

    @Test
    void aDatabaseItCannotReachFailsTheJob() throws Exception {
        Process process = startJob(Map.of("QUARKUS_DATASOURCE_JDBC_URL", TestDatabase.jdbcUrl("no_such_database_here"),
                "QUARKUS_DATASOURCE_USERNAME", TestDatabase.USER), Path.of("target", "migration-job-unreachable.log"));
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("Kubernetes retries a Job whose pod fails").isNotZero();
    }

    /** The migrations artifact as the Job's container runs it, its output in the log. */
    static Process startJob(Map<String, String> environment, Path log) throws java.io.IOException {
        ProcessBuilder job = new ProcessBuilder(Jdk.java(), "-jar", ARTIFACT.toString()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        job.environment().putAll(environment);
        return job.start();
    }

    /** The names of the Job container's variables (all from the database secret). */
    static List<String> jobEnvironment() throws Exception {
        JsonNode job = new ObjectMapper(new YAMLFactory()).readTree(Path.of("deploy/base/migrate-job.yaml").toFile());
        List<String> names = new ArrayList<>();
        for (JsonNode variable : job.at("/spec/template/spec/containers/0/env")) {
            names.add(variable.path("name").asText());
        }
        return names;
    }

    static List<String> appliedVersions() throws Exception {
        List<String> versions = new ArrayList<>();
        try (Connection connection = TestDatabase.connect(DB);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "select version from flyway_schema_history where success and version is not null order by installed_rank")) {
            while (rows.next()) {
                versions.add(rows.getString(1));
            }
        }
        return versions;
    }
}
