package vn.zalogateway.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import vn.zalogateway.common.SchemaReadiness;
import vn.zalogateway.support.Jdk;
import vn.zalogateway.support.TestDatabase;

/**
 * The migration Job's container as {@code deploy/base/migrate-job.yaml} writes it, run on the packaged
 * application (the jar, or the native binary after {@code -Dnative}) against a new database: it
 * migrates it to the newest version, serves nothing, and exits 0; run again, it changes nothing.
 */
class MigrationJobIT {

    static final String DB = "zalo_gateway_migrate_it";

    @Test
    void theJobMigratesANewDatabaseThenExits() throws Exception {
        TestDatabase.recreate(DB);
        Map<String, String> environment = jobEnvironment();
        environment.put("QUARKUS_DATASOURCE_REACTIVE_URL", TestDatabase.reactiveUrl(DB));
        environment.put("QUARKUS_DATASOURCE_JDBC_URL", TestDatabase.jdbcUrl(DB));
        environment.put("QUARKUS_DATASOURCE_USERNAME", "postgres");
        environment.put("QUARKUS_DATASOURCE_PASSWORD", "");
        environment.put("QUARKUS_LOG_CONSOLE_JSON_ENABLED", "false");

        for (String run : List.of("first", "again")) {
            Path log = Path.of("target", "migration-job-" + run + ".log");
            ProcessBuilder job = new ProcessBuilder(artifactCommand()).redirectErrorStream(true).redirectOutput(log.toFile());
            job.environment().putAll(environment);
            Process process = job.start();
            boolean exited = process.waitFor(90, TimeUnit.SECONDS);
            if (!exited) {
                process.destroyForcibly();
            }
            String output = Files.readString(log);
            assertThat(exited).as("the %s run exits by itself:%n%s", run, output).isTrue();
            assertThat(process.exitValue()).as("exit code of the %s run:%n%s", run, output).isZero();
            assertThat(output).as("init mode serves nothing").doesNotContain("Listening on");
            assertThat(appliedVersions()).as("after the %s run", run).hasSize(SchemaReadiness.SCHEMA_VERSION)
                    .last().isEqualTo(Integer.toString(SchemaReadiness.SCHEMA_VERSION));
        }
    }

    /** The Job container's literal settings; those from secrets are the test database's, set by the caller. */
    static Map<String, String> jobEnvironment() throws Exception {
        JsonNode job = DeployManifestsTest.YAML.readTree(Path.of("deploy/base/migrate-job.yaml").toFile());
        Map<String, String> environment = new HashMap<>();
        for (JsonNode variable : job.at("/spec/template/spec/containers/0/env")) {
            if (variable.has("value")) {
                environment.put(variable.path("name").asText(), variable.path("value").asText());
            }
        }
        assertThat(environment).containsEntry("QUARKUS_INIT_AND_EXIT", "true");
        return environment;
    }

    /** How to start what the build packaged, from Quarkus' own record of it. */
    static List<String> artifactCommand() throws Exception {
        Properties artifact = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("target", "quarkus-artifact.properties"))) {
            artifact.load(in);
        }
        String path = Path.of("target").resolve(artifact.getProperty("path")).toString();
        if ("native".equals(artifact.getProperty("type"))) {
            return List.of(path);
        }
        return List.of(Jdk.java(), "-jar", path);
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
