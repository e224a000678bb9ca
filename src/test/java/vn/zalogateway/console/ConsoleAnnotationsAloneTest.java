package vn.zalogateway.console;

import static vn.zalogateway.support.ConsolePaths.assertStranger;
import static vn.zalogateway.support.ConsolePaths.raw;
import static vn.zalogateway.support.ConsolePaths.variants;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import vn.zalogateway.support.ConsolePaths;
import vn.zalogateway.support.ConsoleSignIn;
import vn.zalogateway.support.ConsoleSignIn.Browser;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;

/**
 * The console's resources guard themselves: with the path permission for {@code /console/*} opened to all,
 * a stranger still gets the sign-in redirect or a 404 on every console path, path parameters or not (or a 405 where no
 * page takes that method: JAX-RS answers it before any check, and it opens nothing).
 */
@QuarkusTest
@TestProfile(ConsoleAnnotationsAloneTest.PathPermissionOpen.class)
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ConsoleAnnotationsAloneTest {

    public static class PathPermissionOpen implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.http.auth.permission.console.policy", "permit");
        }
    }

    @Test
    void aStrangerIsSentToSignInOrFindsNothing() {
        Browser visitor = ConsoleSignIn.visitor();
        for (String page : ConsolePaths.GETS) {
            for (String path : variants(page)) {
                assertStranger("GET " + path, raw(visitor).get(path));
            }
        }
        for (String action : ConsolePaths.POSTS) {
            for (String path : variants(action)) {
                Response answer = ConsolePaths.post(visitor, path);
                if (answer.statusCode() != 405) { // no page takes a post there (/console/playground%3Bx/check): refused before any check
                    assertStranger("POST " + path, answer);
                }
            }
        }
        // and an operator still gets the pages
        ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD).request().get("/console/messages").then().statusCode(200);
    }
}
