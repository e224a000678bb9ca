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

/** The production build has no provider simulator: nothing serves its routes, and its classes are not packaged. */
@QuarkusIntegrationTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ProductionBuildIT {

    static final String SIMULATOR_CLASSES = "vn/zalogateway/simulator/";

    @Test
    void nothingAnswersOnTheSimulatorsPaths() {
        given().get("/simulator/settings").then().statusCode(404);
        given().contentType("text/plain").body("{}").post("/simulator/esms/MainService.svc/json/SendZaloFollowerMessage_V5_post_json/")
                .then().statusCode(404);
        given().contentType("application/json").body("{}").post("/simulator/etelecom/v1/shop.Zalo/CreateJourney")
                .then().statusCode(404);
    }

    @Test
    void theJarHoldsNoSimulatorClassAndNoBeanForIt() throws IOException {
        Path app = Path.of("target", "quarkus-app");
        assumeTrue(Files.isDirectory(app.resolve("app")), "a native build has no jar to look into");
        List<String> found = new ArrayList<>();
        try (Stream<Path> jars = Stream.concat(Files.list(app.resolve("app")), Stream.of(app.resolve("quarkus/generated-bytecode.jar")))) {
            for (Path jar : jars.filter(path -> path.toString().endsWith(".jar")).toList()) {
                try (JarFile entries = new JarFile(jar.toFile())) {
                    entries.stream().map(entry -> entry.getName())
                            .filter(name -> name.startsWith(SIMULATOR_CLASSES) && name.endsWith(".class"))
                            .forEach(name -> found.add(jar.getFileName() + "!" + name));
                }
            }
        }
        // A new simulator class belongs in quarkus.package.jar.user-configured-ignored-entries.
        assertThat(found).isEmpty();
    }
}
