package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import vn.zalogateway.support.RawHttp;
import vn.zalogateway.support.ConsoleSignIn;
import vn.zalogateway.support.ConsoleSignIn.Browser;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Rows;

/**
 * What a stranger can send to the console's open paths (the sign-in form and its post, the language switch,
 * the assets): whatever it is, the answer is never a 500 (nor an ERROR in the log), and a redirect never
 * leads off this gateway.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ConsolePublicPathsTest {

    static final Path LOG = Path.of("target", "quarkus-test.log");
    static final String LONG = "x".repeat(3000);
    /** Return addresses as they stand in a query string (already encoded, or raw on purpose). */
    static final List<String> HOSTILE_BACKS = List.of("/console/%20x", "%2Fconsole%2F%20x", "/console/%0d%0aSet-Cookie:%20evil=1",
            "/console%0d%0aLocation:%20https://evil.example", "//evil.example", "%2F%2Fevil.example", "https://evil.example/console",
            "https:%2F%2Fevil.example%2Fconsole", "/%5Cevil.example", "/console%5C..%5C..%5Cevil.example", "/console/..//evil.example",
            "/console/%2e%2e/%2e%2e//evil.example", "/console/./x", "%09//evil.example", "/console//evil.example", "javascript:alert(1)",
            "/console/%E2%80%AE", "/console/%00", "/console/" + LONG, "", "/console/sign-in?next=//evil.example",
            "/console?x=//evil.example", "http:/evil.example", "/console:8080@evil.example");

    @Inject
    AgroalDataSource dataSource;

    Rows rows;
    long logBefore;

    @BeforeEach
    void reset() throws java.io.IOException {
        rows = new Rows(dataSource);
        rows.clear("console_sign_in_attempts");
        logBefore = Files.exists(LOG) ? Files.size(LOG) : 0;
    }

    @AfterEach
    void noErrorWasLogged() throws java.io.IOException {
        rows.clear("console_sign_in_attempts");
        byte[] all = Files.readAllBytes(LOG);
        String written = new String(all, (int) Math.min(logBefore, all.length), (int) Math.max(0, all.length - logBefore), StandardCharsets.UTF_8);
        assertThat(written).as("ERROR lines logged").doesNotContain(" ERROR ", "\"level\":\"ERROR\"");
    }

    @Test
    void theLanguageSwitchGoesBackToAConsolePageWhateverItIsGiven() {
        assertOnGateway("back=/console/%20x", raw().get("/console/language?to=en&back=/console/%20x"), 303);
        for (String back : HOSTILE_BACKS) {
            for (String to : List.of("en", "vi", "%0d%0aSet-Cookie:%20evil=1", "", LONG.substring(0, 200))) {
                Response answer = raw().get("/console/language?to=" + to + "&back=" + back);
                assertOnGateway("back=" + back + " to=" + to, answer, 303);
                assertThat(answer.headers().getValues("Set-Cookie")).as(back).allMatch(value -> value.startsWith("zg-console-lang=en;")
                        || value.startsWith("zg-console-lang=vi;") || value.startsWith("zg-console-form="));
            }
        }
        assertOnGateway("two backs", raw().get("/console/language?to=en&back=/console/costs&back=//evil.example"), 303);
        assertOnGateway("no back", raw().get("/console/language"), 303);
        // and what is good still works: back to a console page, or to the sign-in form with its next page
        assertThat(raw().get("/console/language?to=en&back=%2Fconsole%2Fmessages%3Fstatus%3DFAILED").header("Location"))
                .endsWith(":8081/console/messages?status=FAILED");
        assertThat(raw().get("/console/language?to=en&back=%2Fconsole%2Fsign-in%3Fnext%3D%252Fconsole%252Fcosts").header("Location"))
                .endsWith(":8081/console/sign-in?next=%2Fconsole%2Fcosts");
    }

    @Test
    void theSignInFormShowsNoStrangersReturnAddress() {
        for (String next : HOSTILE_BACKS) {
            Response form = raw().get("/console/sign-in?next=" + next);
            assertThat(form.statusCode()).as(next).isIn(200, 400);
            java.util.regex.Matcher kept = java.util.regex.Pattern.compile("name=\"next\" value=\"([^\"]*)\"").matcher(form.asString());
            assertThat(kept.find()).as(next).isTrue();
            assertThat(kept.group(1)).as(next).satisfiesAnyOf(value -> assertThat(value).isEmpty(),
                    value -> assertThat(value).isEqualTo("/console?x=//evil.example")); // a console page, whatever its query
            assertThat(form.headers().getValues("Set-Cookie")).as(next).noneMatch(value -> value.contains("evil"));
        }
        raw().get("/console/sign-in?next=/console/costs&next=//evil.example").then().statusCode(200);
    }

    @ParameterizedTest
    @ValueSource(strings = { "//evil.example", "https://evil.example/console", "/console/ x", "/console/\r\nSet-Cookie: evil=1",
            "/console/..//evil.example", "/console\\..\\evil.example", "\t//evil.example", "/console/sign-in", "javascript:alert(1)", "" })
    void aSignInGoesBackToAConsolePageOnly(String next) {
        Browser visitor = ConsoleSignIn.visitor();
        Response signedIn = visitor.request().contentType("application/x-www-form-urlencoded").formParam("username", ConsoleSignIn.VIEWER)
                .formParam("password", ConsoleSignIn.VIEWER_PASSWORD).formParam("csrf-token", visitor.token()).formParam("next", next)
                .post("/console/sign-in");
        assertOnGateway("next=" + next, signedIn, 303);
        assertThat(signedIn.header("Location")).endsWith(":8081/console");
    }

    @Test
    void aSignInPostOfAnyShapeIsRefusedOrAnsweredNeverBroken() throws IOException {
        Browser visitor = ConsoleSignIn.visitor();
        String token = visitor.token();
        // fields missing, one by one and all
        assertStatus("nothing", form(visitor).post("/console/sign-in"), 403);
        assertStatus("token only", form(visitor).formParam("csrf-token", token).post("/console/sign-in"), 401);
        assertStatus("no password", form(visitor).formParam("csrf-token", token).formParam("username", ConsoleSignIn.VIEWER)
                .post("/console/sign-in"), 401);
        assertStatus("no name", form(visitor).formParam("csrf-token", token).formParam("password", ConsoleSignIn.VIEWER_PASSWORD)
                .post("/console/sign-in"), 401);
        assertStatus("no token", form(visitor).formParam("username", ConsoleSignIn.VIEWER).formParam("password", ConsoleSignIn.VIEWER_PASSWORD)
                .post("/console/sign-in"), 403);
        // fields twice: the first counts, as for any form
        assertStatus("two names", form(visitor).formParam("csrf-token", token).formParam("username", "nobody", ConsoleSignIn.VIEWER)
                .formParam("password", ConsoleSignIn.VIEWER_PASSWORD).post("/console/sign-in"), 401);
        assertStatus("two tokens", form(visitor).formParam("csrf-token", "forged", token).formParam("username", ConsoleSignIn.VIEWER)
                .formParam("password", ConsoleSignIn.VIEWER_PASSWORD).post("/console/sign-in"), 403);
        // names no operator has: line breaks, controls, overlong, not ASCII
        for (String name : List.of("ops-viewer\r\nX-Injected: 1", "ops-viewer%00", "\u0000", "a".repeat(1500), "ópś-vïèwer", " ", "../../etc")) {
            assertStatus("name " + name.substring(0, Math.min(20, name.length())), form(visitor).formParam("csrf-token", token)
                    .formParam("username", name).formParam("password", "x").post("/console/sign-in"), 401);
        }
        assertStatus("overlong password", form(visitor).formParam("csrf-token", token).formParam("username", ConsoleSignIn.VIEWER)
                .formParam("password", "p".repeat(1500)).post("/console/sign-in"), 401);
        // a body broken as form encoding, and values past the server's form limits
        assertNeverBroken("bad encoding", raw(visitor).contentType("application/x-www-form-urlencoded")
                .body("csrf-token=" + token + "&username=%zz&password=%").post("/console/sign-in"));
        assertNeverBroken("overlong field", form(visitor).formParam("csrf-token", token).formParam("username", "u".repeat(100_000))
                .formParam("password", "p").post("/console/sign-in"));
        assertNeverBroken("overlong body", raw(visitor).contentType("application/x-www-form-urlencoded")
                .body("csrf-token=" + token + "&next=" + "n".repeat(3_000_000)).post("/console/sign-in"));
        // other content types
        for (String type : List.of("application/json", "text/plain", "application/xml", "multipart/form-data; boundary=x",
                "application/x-www-form-urlencoded; charset=nonsense", "application/x-www-form-urlencoded; charset=utf-16", "nonsense",
                "application/x-www-form-urlencoded\u00ff")) {
            String body = "csrf-token=" + token + "&username=ops-viewer&password=x";
            String cookies = visitor.cookies().entrySet().stream().map(cookie -> cookie.getKey() + "=" + cookie.getValue())
                    .collect(java.util.stream.Collectors.joining("; "));
            List<String> head = RawHttp.head("POST /console/sign-in HTTP/1.1\r\nContent-Type: " + type + "\r\nCookie: " + cookies
                    + "\r\nContent-Length: " + body.length() + "\r\n", body);
            assertThat(Integer.parseInt(head.get(0).split(" ")[1])).as(type).isBetween(200, 499);
        }
        assertNeverBroken("no content type", raw(visitor).body("username=ops-viewer").post("/console/sign-in"));
        for (String method : List.of("PUT", "DELETE", "PATCH", "OPTIONS")) {
            assertNeverBroken(method, raw(visitor).request(method, "/console/sign-in"));
        }
        // a sign-out by a stranger ends nothing and is sent to sign in
        assertStatus("sign-out", form(visitor).formParam("csrf-token", token).post("/console/sign-out"), 302);
    }

    @Test
    void theAssetsServeTheirFilesAndNothingElse() {
        raw().get("/console-assets/console.css").then().statusCode(200);
        for (String path : List.of("/console-assets/..%2f..%2fapplication.properties", "/console-assets/%2e%2e/%2e%2e/application.properties",
                "/console-assets/..%5c..%5capplication.properties", "/console-assets/console.css%00", "/console-assets/console.css;x",
                "/console-assets/%c0%ae%c0%ae/application.properties", "/console-assets/", "/console-assets//console.css",
                "/console-assets/%0d%0aSet-Cookie:%20evil=1", "/console-assets/" + LONG)) {
            Response answer = raw().get(path);
            assertNeverBroken(path, answer);
            assertThat(answer.asString()).as(path).doesNotContain("quarkus.", "gateway.console");
        }
    }

    @Test
    void whatNoHttpClientWouldSendIsAnsweredAllTheSame() throws IOException {
        for (String target : List.of("/console/language?back=%", "/console/language?back=%zz", "/console/language?to=%&back=/console",
                "/console/language?back=/console/%E0%A4%A", "/console/sign-in?next=%", "/console/sign-in?next=%zz%", "/console-assets/%",
                "/console/%", "/console/%zz/x", "/console;%/messages", "/console/messages?ext=%", "/console/language?back=/console/\tx",
                "/console/language?back=/console/ x")) {
            List<String> head = RawHttp.head("GET " + target + " HTTP/1.1\r\n", "");
            int status = Integer.parseInt(head.get(0).split(" ")[1]);
            assertThat(status).as(target).isBetween(200, 499);
            head.stream().filter(line -> line.regionMatches(true, 0, "Location:", 0, 9)).forEach(line -> assertThat(line.substring(9).trim())
                    .as(target).matches("(http://localhost:8081)?/console(/.*|\\?.*)?"));
        }
    }

    private static void assertOnGateway(String request, Response answer, int expected) {
        assertStatus(request, answer, expected);
        String location = answer.header("Location");
        if (location != null) {
            URI target = URI.create(location);
            assertThat(target.getHost()).as(request).isEqualTo("localhost");
            assertThat(target.getPort()).as(request).isEqualTo(8081);
            assertThat(target.getRawPath()).as(request).matches("/console(/.*)?").doesNotContain("//", "..", "\\");
        }
    }

    private static void assertStatus(String request, Response answer, int expected) {
        assertThat(answer.statusCode()).as(request).isEqualTo(expected);
    }

    private static void assertNeverBroken(String request, Response answer) {
        assertThat(answer.statusCode()).as(request).isBetween(200, 499);
        String location = answer.header("Location");
        if (location != null) {
            assertThat(URI.create(location).getHost()).as(request).isIn(null, "localhost");
        }
    }

    private static RequestSpecification raw() {
        return RestAssured.given().urlEncodingEnabled(false).redirects().follow(false);
    }

    private static RequestSpecification raw(Browser browser) {
        return raw().cookies(browser.cookies());
    }

    private static RequestSpecification form(Browser browser) {
        return browser.request().contentType("application/x-www-form-urlencoded");
    }
}
