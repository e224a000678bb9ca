package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static vn.zalogateway.support.ConsolePaths.GETS;
import static vn.zalogateway.support.ConsolePaths.POSTS;
import static vn.zalogateway.support.ConsolePaths.assertStranger;
import static vn.zalogateway.support.ConsolePaths.post;
import static vn.zalogateway.support.ConsolePaths.raw;
import static vn.zalogateway.support.ConsolePaths.variants;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import vn.zalogateway.support.ConsoleSignIn;
import vn.zalogateway.support.ConsoleSignIn.Browser;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;

/**
 * Path parameters ({@code /console;x/messages}) must not step around the sign-in: every console path, with
 * {@code ;x}, {@code ;} and {@code %3Bx} after each of its segments in turn, answers a stranger with the sign-in
 * redirect or a 404, never a page and never a 500; and an operator with a session never gets a 500 either.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ConsolePathParameterTest {

    @Test
    void aStrangerIsSentToSignInOrFindsNothing() {
        Browser visitor = ConsoleSignIn.visitor(); // a form token, no session: only the session may be missing
        List<String> tried = new ArrayList<>();
        for (String page : GETS) {
            for (String path : variants(page)) {
                assertStranger("GET " + path, raw(visitor).get(path));
                tried.add(path);
            }
        }
        for (String action : POSTS) {
            for (String path : variants(action)) {
                assertStranger("POST " + path, post(visitor, path));
            }
        }
        assertThat(tried).contains("/console;x/messages", "/console;/consumers", "/console%3Bx/messages", "/console/messages;x");
    }

    @Test
    void anOperatorNeverGetsA500() {
        Browser viewer = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        for (String page : GETS) {
            for (String path : variants(page)) {
                int status = raw(viewer).get(path).statusCode();
                // the forms that save a stored template are the admin role's: a viewer is refused them
                boolean adminsOnly = path.contains("/new") || path.contains("/edit");
                assertThat(status).as("GET " + path).isIn(adminsOnly ? List.of(403, 404) : List.of(200, 302, 404));
            }
        }
        // the same pages as the plain paths: a path parameter is ignored, not a way in nor a way to break a page
        raw(viewer).get("/console;x/messages").then().statusCode(200)
                .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("default-src 'self'"));
        raw(viewer).get("/console;/consumers").then().statusCode(200).header("X-Frame-Options", "DENY");
        for (String action : POSTS.stream().filter(action -> !action.endsWith("/sign-out")).toList()) {
            for (String path : variants(action)) {
                int status = raw(viewer).contentType("text/plain").header("X-CSRF-Token", viewer.token()).body("{}").post(path).statusCode();
                assertThat(status).as("POST " + path).isIn(200, 302, 403, 404, 405, 415);
            }
        }
    }

    @Test
    void anEndpointThatDeclaresNothingIsRefusedToAll() {
        RestAssured.given().redirects().follow(false).get("/test-only/unannotated").then().statusCode(401);
        RestAssured.given().redirects().follow(false).header("Authorization", "Bearer test-key").get("/test-only/unannotated")
                .then().statusCode(401);
        Browser admin = ConsoleSignIn.as(ConsoleSignIn.ADMIN, ConsoleSignIn.ADMIN_PASSWORD);
        int status = raw(admin).cookie("zg-console-session", admin.cookies().get("zg-console-session")).get("/test-only/unannotated")
                .statusCode();
        assertThat(status).as("a session does not open it either").isIn(401, 403);
        assertThat(org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("quarkus.security.jaxrs.deny-unannotated-endpoints", Boolean.class)).isTrue();
    }
}
