package vn.zalogateway.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import vn.zalogateway.support.ConsoleSignIn.Browser;

/**
 * Every console path, and the same paths with path parameters ({@code ;x}, {@code ;}, {@code %3Bx}) after each
 * segment in turn: what must never step around the sign-in. Sent raw, so that nothing normalises them on the way.
 */
public final class ConsolePaths {

    public static final String CONSUMER = "00000000-0000-7000-8000-000000000001";
    public static final List<String> GETS = List.of("/console", "/console/messages", "/console/messages/" + UUID.randomUUID(),
            "/console/journeys", "/console/journeys/" + UUID.randomUUID(), "/console/receipts", "/console/costs",
            "/console/consumers", "/console/consumers/" + CONSUMER, "/console/playground", "/console/nothing-here",
            "/console/batches", "/console/batches/" + UUID.randomUUID(), "/console/templates", "/console/templates/new?consumer=" + CONSUMER,
            "/console/templates/" + CONSUMER + "/order-status", "/console/templates/" + CONSUMER + "/order-status/edit",
            "/console/zns-templates", "/console/zns-templates/3041812345605770721/231456");
    public static final List<String> POSTS = List.of("/console/playground/check",
            "/console/consumers/" + CONSUMER + "/deliveries/" + UUID.randomUUID() + "/redeliver", "/console/sign-out",
            "/console/batches/" + UUID.randomUUID() + "/cancel", "/console/templates", "/console/templates/" + CONSUMER + "/order-status");
    static final List<String> INSERTED = List.of(";x", ";", "%3Bx", "%3B", ";x=1;y");

    private ConsolePaths() {
    }

    /** The path with {@code inserted} after each of its segments in turn (and the path itself first). */
    public static List<String> variants(String path) {
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

    /** What a stranger must get: the sign-in redirect or a 404, and no session. */
    public static void assertStranger(String request, Response response) {
        int status = response.statusCode();
        assertThat(status).as(request).isIn(302, 404);
        if (status == 302) {
            assertThat(response.header("Location")).as(request).startsWith("/console/sign-in");
        }
        assertThat(String.valueOf(response.headers().getValues("Set-Cookie"))).as(request).doesNotContain("zg-console-session=");
    }

    /** A post as the console's own page would send it: the playground's JSON, or a form with the token. */
    public static Response post(Browser browser, String path) {
        RequestSpecification request = raw(browser).header("X-CSRF-Token", browser.token());
        return path.contains("check") ? request.contentType("text/plain").body("{}").post(path)
                : request.contentType("application/x-www-form-urlencoded").body("csrf-token=" + browser.token()).post(path);
    }

    /** The browser's cookies, the path sent as written, redirects not followed. */
    public static RequestSpecification raw(Browser browser) {
        return RestAssured.given().urlEncodingEnabled(false).redirects().follow(false).cookies(browser.cookies());
    }
}
