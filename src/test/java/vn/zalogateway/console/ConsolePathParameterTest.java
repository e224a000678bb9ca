package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
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

    static final String CONSUMER = "00000000-0000-7000-8000-000000000001";
    static final List<String> GETS = List.of("/console", "/console/messages", "/console/messages/" + UUID.randomUUID(), "/console/journeys",
            "/console/journeys/" + UUID.randomUUID(), "/console/receipts", "/console/costs", "/console/consumers",
            "/console/consumers/" + CONSUMER, "/console/playground", "/console/nothing-here");
    static final List<String> POSTS = List.of("/console/playground/check",
            "/console/consumers/" + CONSUMER + "/deliveries/" + UUID.randomUUID() + "/redeliver", "/console/sign-out");
    static final List<String> INSERTED = List.of(";x", ";", "%3Bx", "%3B", ";x=1;y");

    /** The path with {@code inserted} after each of its segments in turn (and the path itself first). */
    static List<String> variants(String path) {
        List<String> variants = new ArrayList<>();
        variants.add(path);
        String[] segments = path.substring(1).split("/");
        for (String inserted : INSERTED) {
            for (int i = 0; i < segments.length; i++) {
                StringBuilder variant = new StringBuilder();
                for (int j = 0; j < segments.length; j++) {
                    variant.append('/').append(segments[j]).append(j == i ? inserted : "");
                }
                variants.add(variant.toString());
            }
        }
        return variants;
    }

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
                assertThat(status).as("GET " + path).isIn(200, 302, 404);
            }
        }
        // the same pages as the plain paths: a path parameter is ignored, not a way in nor a way to break a page
        raw(viewer).get("/console;x/messages").then().statusCode(200)
                .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("default-src 'self'"));
        raw(viewer).get("/console;/consumers").then().statusCode(200).header("X-Frame-Options", "DENY");
        for (String action : POSTS.subList(0, 2)) {
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

    static void assertStranger(String request, Response response) {
        int status = response.statusCode();
        assertThat(status).as(request).isIn(302, 404);
        if (status == 302) {
            assertThat(response.header("Location")).as(request).startsWith("/console/sign-in");
        }
        assertThat(String.valueOf(response.headers().getValues("Set-Cookie"))).as(request).doesNotContain("zg-console-session=");
    }

    /** A post as the console's own page would send it: the playground's JSON, or a form with the token. */
    static Response post(Browser browser, String path) {
        RequestSpecification request = raw(browser).header("X-CSRF-Token", browser.token());
        return path.contains("check") ? request.contentType("text/plain").body("{}").post(path)
                : request.contentType("application/x-www-form-urlencoded").body("csrf-token=" + browser.token()).post(path);
    }

    static RequestSpecification raw(Browser browser) {
        return RestAssured.given().urlEncodingEnabled(false).redirects().follow(false).cookies(browser.cookies());
    }
}
