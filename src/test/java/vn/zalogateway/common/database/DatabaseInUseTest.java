package vn.zalogateway.common.database;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import vn.zalogateway.devdatabase.DevDatabaseConfigSourceFactory;

class DatabaseInUseTest {

    @Test
    void theStartLineSaysWhichDatabaseAndNeverAPassword() {
        assertThat(DatabaseInUse.describe("postgresql://127.0.0.1:41234/postgres", "Runtime Values", "127.0.0.1:41234",
                "target/embedded-postgres"))
                .isEqualTo("Database: postgresql://127.0.0.1:41234/postgres, an embedded PostgreSQL (no URL configured, "
                        + "no Docker engine for Dev Services); its data is kept in target/embedded-postgres");
        assertThat(DatabaseInUse.describe("postgresql://127.0.0.1:41234/postgres", "Runtime Values", "127.0.0.1:41234", null))
                .endsWith("its data is deleted when the JVM exits");
        assertThat(DatabaseInUse.describe("postgresql://gw:s3cret@db.internal:5432/gateway?password=other", "EnvConfigSource",
                null, null))
                .isEqualTo("Database: postgresql://gw:***@db.internal:5432/gateway?password=*** (from EnvConfigSource)");
        assertThat(DatabaseInUse.describe(null, null, null, null)).contains("none configured");
    }

    @Test
    void theEmbeddedServerIsRecognisedByTheNameItsStarterGivesIt() {
        // two modules, one name: the gateway never ships with src/dev, so it cannot refer to the constant
        assertThat(DatabaseInUse.EMBEDDED_HOST_PROPERTY).isEqualTo(DevDatabaseConfigSourceFactory.RUNNING);
    }
}
