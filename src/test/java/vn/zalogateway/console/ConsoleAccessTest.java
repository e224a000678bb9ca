package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import vn.zalogateway.support.AppLog;
import vn.zalogateway.support.ConsoleSignIn;
import vn.zalogateway.support.ConsoleSignIn.Browser;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Rows;

/** Who may open and change what in the console, over HTTP: sessions, roles, form tokens, cookies. */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ConsoleAccessTest {

    static final String DEFAULT_CONSUMER = "00000000-0000-7000-8000-000000000001";
    static final List<String> PAGES = List.of("/console", "/console/messages", "/console/messages?ext=x", "/console/messages?fallback=sms",
            "/console/messages/" + UUID.randomUUID(),
            "/console/journeys", "/console/receipts", "/console/receipts?kind=invalid", "/console/costs", "/console/consumers",
            "/console/consumers/" + DEFAULT_CONSUMER, "/console/playground", "/console/nothing-here");

    @Inject
    AgroalDataSource dataSource;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("callback_events", "console_sign_in_attempts");
    }

    @ParameterizedTest
    @ValueSource(strings = { "/console", "/console/messages", "/console/messages?ext=x", "/console/messages?fallback=sms", "/console/journeys", "/console/receipts",
            "/console/costs", "/console/consumers", "/console/playground", "/console/consumers/" + DEFAULT_CONSUMER })
    void everyPageWithoutASessionRedirectsToTheSignInForm(String page) {
        RestAssured.given().redirects().follow(false).get(page).then().statusCode(302)
                .header("Location", startsWith("/console/sign-in"));
    }

    @Test
    void postsWithoutASessionRedirectToo() {
        Browser visitor = ConsoleSignIn.visitor();
        visitor.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", visitor.token())
                .post("/console/consumers/" + DEFAULT_CONSUMER + "/deliveries/" + UUID.randomUUID() + "/redeliver")
                .then().statusCode(302).header("Location", startsWith("/console/sign-in"));
        visitor.request().contentType("text/plain").header("X-CSRF-Token", visitor.token()).body("{}")
                .post("/console/playground/check").then().statusCode(302);
    }

    @Test
    void aSignInReturnsToThePageAskedFor() {
        String location = RestAssured.given().redirects().follow(false).get("/console/messages?status=FAILED").header("Location");
        assertThat(location).isEqualTo("/console/sign-in?next=%2Fconsole%2Fmessages%3Fstatus%3DFAILED");
        Browser visitor = ConsoleSignIn.visitor();
        visitor.request().contentType("application/x-www-form-urlencoded").formParam("username", ConsoleSignIn.ADMIN)
                .formParam("password", ConsoleSignIn.ADMIN_PASSWORD).formParam("csrf-token", visitor.token())
                .formParam("next", "/console/messages?status=FAILED").post("/console/sign-in")
                .then().statusCode(303).header("Location", endsWith("/console/messages?status=FAILED"));
        visitor.request().contentType("application/x-www-form-urlencoded").formParam("username", ConsoleSignIn.ADMIN)
                .formParam("password", ConsoleSignIn.ADMIN_PASSWORD).formParam("csrf-token", visitor.token())
                .formParam("next", "//evil.example/console").post("/console/sign-in")
                .then().statusCode(303).header("Location", endsWith(":8081/console"));
    }

    @Test
    void theSessionCookieIsHttpOnlySecureAndSameSiteStrict() {
        Response signedIn = ConsoleSignIn.post(ConsoleSignIn.visitor(), ConsoleSignIn.ADMIN, ConsoleSignIn.ADMIN_PASSWORD);
        signedIn.then().statusCode(303).header("Location", endsWith(":8081/console"));
        String setCookie = signedIn.headers().getValues("Set-Cookie").stream().filter(value -> value.startsWith("zg-console-session="))
                .findFirst().orElseThrow();
        assertThat(setCookie).containsIgnoringCase("HttpOnly").contains("Secure", "SameSite=Strict", "Path=/console");
    }

    @Test
    void wrongPasswordsAndUnknownNamesAreRefusedAlike() {
        ConsoleSignIn.post(ConsoleSignIn.visitor(), ConsoleSignIn.ADMIN, "wrong").then().statusCode(401)
                .body(containsString("id=\"sign-in-error\"")).header("Set-Cookie", org.hamcrest.Matchers.not(containsString("zg-console-session")));
        ConsoleSignIn.post(ConsoleSignIn.visitor(), "nobody", ConsoleSignIn.ADMIN_PASSWORD).then().statusCode(401);
    }

    @Test
    void guessingStopsAfterFiveWrongPasswords() {
        for (int i = 0; i < 5; i++) {
            ConsoleSignIn.post(ConsoleSignIn.visitor(), "guesser", "guess-" + i).then().statusCode(401);
        }
        String retryAfter = ConsoleSignIn.post(ConsoleSignIn.visitor(), "guesser", "guess-5").then().statusCode(429).extract().header("Retry-After");
        assertThat(Long.parseLong(retryAfter)).isBetween(850L, 900L);
        ConsoleSignIn.post(ConsoleSignIn.visitor(), "Guesser", "guess-6").then().statusCode(401);
    }

    @Test
    void aSignInWithoutTheFormsTokenIsRefused() {
        Browser visitor = ConsoleSignIn.visitor();
        visitor.request().contentType("application/x-www-form-urlencoded").formParam("username", ConsoleSignIn.ADMIN)
                .formParam("password", ConsoleSignIn.ADMIN_PASSWORD).post("/console/sign-in").then().statusCode(403)
                .body(containsString("id=\"form-expired\""));
        // a token from another browser (a forged form carries the attacker's own) does not go with this cookie
        Browser other = ConsoleSignIn.visitor();
        visitor.request().contentType("application/x-www-form-urlencoded").formParam("username", ConsoleSignIn.ADMIN)
                .formParam("password", ConsoleSignIn.ADMIN_PASSWORD).formParam("csrf-token", other.token()).post("/console/sign-in")
                .then().statusCode(403);
        // and no cookie at all, as curl without a cookie jar
        RestAssured.given().redirects().follow(false).contentType("application/x-www-form-urlencoded")
                .formParam("username", ConsoleSignIn.ADMIN).formParam("password", ConsoleSignIn.ADMIN_PASSWORD)
                .formParam("csrf-token", visitor.token()).post("/console/sign-in").then().statusCode(403);
    }

    @Test
    void everyPageOpensWithASession() {
        Browser viewer = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        for (String page : PAGES) {
            int expected = page.endsWith("nothing-here") || page.startsWith("/console/messages/") ? 404 : 200;
            viewer.request().get(page).then().statusCode(expected).contentType(startsWith("text/html"))
                    .header("Content-Security-Policy", containsString("default-src 'self'"))
                    .header("X-Frame-Options", "DENY").header("Server-Timing", startsWith("app;dur="));
        }
    }

    @Test
    void theAssetsAreServedWithoutASession() {
        RestAssured.given().redirects().follow(false).get("/console-assets/console.css").then().statusCode(200)
                .contentType(startsWith("text/css"));
        RestAssured.given().redirects().follow(false).get("/console-assets/console.js").then().statusCode(200);
    }

    @Test
    void aViewerCannotRedeliverAndAnAdminCan() {
        String event = UUID.randomUUID().toString();
        rows.update("insert into callback_events (id, consumer_id, event_type, subject_id, sequence, data, status, attempts, "
                + "created_at, updated_at) values (?::uuid, ?::uuid, 'message.status_changed', gen_random_uuid(), 1, '{}', 'FAILED', 8, now(), now())",
                event, DEFAULT_CONSUMER);
        String path = "/console/consumers/" + DEFAULT_CONSUMER + "/deliveries/" + event + "/redeliver";
        Browser viewer = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        viewer.request().get("/console/consumers/" + DEFAULT_CONSUMER).then().statusCode(200)
                .body(org.hamcrest.Matchers.not(containsString("/redeliver")));
        viewer.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", viewer.token()).post(path)
                .then().statusCode(403);
        assertThat(rows.one("select status from callback_events where id = ?::uuid", event)).isEqualTo(Map.of("status", "FAILED"));

        Browser admin = ConsoleSignIn.as(ConsoleSignIn.ADMIN, ConsoleSignIn.ADMIN_PASSWORD);
        admin.request().get("/console/consumers/" + DEFAULT_CONSUMER).then().statusCode(200).body(containsString(path));
        admin.request().contentType("application/x-www-form-urlencoded").post(path).then().statusCode(403);
        assertThat(rows.one("select status from callback_events where id = ?::uuid", event)).isEqualTo(Map.of("status", "FAILED"));
        long logBefore = AppLog.end();
        admin.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", admin.token()).post(path)
                .then().statusCode(303).header("Location", endsWith("/console/consumers/" + DEFAULT_CONSUMER + "?redelivered=" + event));
        assertThat(AppLog.since(logBefore, "callback.redelivered"))
                .contains("audit actor=operator:" + ConsoleSignIn.ADMIN + " action=callback.redelivered subject=" + event);
        // queued again at once, and tried (this consumer has no callback_url: the attempt fails and is counted)
        assertThat(rows.one("select status = 'PENDING' or attempts > 8 as redelivered from callback_events where id = ?::uuid", event))
                .isEqualTo(Map.of("redelivered", true));
    }

    @Test
    void signingOutEndsTheSession() {
        Browser admin = ConsoleSignIn.as(ConsoleSignIn.ADMIN, ConsoleSignIn.ADMIN_PASSWORD);
        Response out = admin.request().contentType("application/x-www-form-urlencoded").formParam("csrf-token", admin.token())
                .post("/console/sign-out");
        out.then().statusCode(303).header("Location", endsWith("/console/sign-in"));
        assertThat(out.headers().getValues("Set-Cookie")).anyMatch(value -> value.startsWith("zg-console-session=;") && value.contains("Max-Age=0"));
        RestAssured.given().redirects().follow(false).cookies(Map.of("zg-console-session", "forged.admin.x.1.1.1.fp.sig")).get("/console")
                .then().statusCode(302);
        admin.request().get("/console").then().statusCode(302).header("Location", startsWith("/console/sign-in"));
    }

    @Test
    void aLongSearchPagesOnWithTheSameFilters() {
        rows.clear("receipts", "charges", "oa_quotas", "messages");
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, zalo_status, ext, "
                + "error_code, created_at, updated_at) select ?::uuid, uuid_v7(), 3041812345605770721, '42', 'transaction_order', 'VI', "
                + "'{}', case when i <= 60 then 'FAILED' else 'DELIVERED' end, case when i <= 60 then 'FAILED' else 'DELIVERED' end, 'page-' || i, '17004', now(), now() "
                + "from generate_series(1, 70) i", DEFAULT_CONSUMER);
        Browser viewer = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        String first = viewer.request().get("/console/messages?status=FAILED&user_id=42").then().statusCode(200).extract().asString();
        assertThat(first.split("<a href=\"/console/messages/", -1)).hasSize(51);
        java.util.regex.Matcher next = java.util.regex.Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"").matcher(first);
        assertThat(next.find()).isTrue();
        String url = next.group(1).replace("&amp;", "&");
        assertThat(url).startsWith("/console/messages?user_id=42&status=FAILED&before=");
        String second = viewer.request().urlEncodingEnabled(false).get(url).then().statusCode(200).extract().asString();
        assertThat(second.split("<a href=\"/console/messages/", -1)).hasSize(11);
        assertThat(second).doesNotContain("id=\"next-page\"", "DELIVERED</span>");
    }

    @Test
    void costsAddUpEndedHoursOnceAndTheHourUnderWayLive() {
        rows.clear("receipts", "charges", "oa_quotas", "oa_hour_costs", "cost_hours");
        java.time.Instant now = java.time.Instant.now();
        java.time.ZoneId vietnam = java.time.ZoneId.of("Asia/Ho_Chi_Minh");
        Map<java.time.LocalDate, java.math.BigDecimal> expected = new java.util.TreeMap<>();
        int n = 0;
        for (long hoursAgo : new long[] { 0, 0, 3, 3, 30, 300, 400 }) { // 400 h: before the 14 days shown
            java.time.Instant at = now.minus(java.time.Duration.ofHours(hoursAgo)).minusSeconds(hoursAgo == 0 ? 0 : 90);
            java.math.BigDecimal amount = java.math.BigDecimal.valueOf(100 + n);
            n++;
            rows.update("insert into charges (consumer_id, oa_id, subject_id, item, message_id, provider, source, currency, amount, "
                    + "occurred_at, of_record) values ('00000000-0000-7000-8000-000000000001', 777, gen_random_uuid(), 'message', null, "
                    + "'esms', 'receipt', 'VND', ?, ?, true)", amount, java.sql.Timestamp.from(at));
            if (!at.atZone(vietnam).toLocalDate().isBefore(now.atZone(vietnam).toLocalDate().minusDays(13))) { // the 14 days shown
                expected.merge(at.atZone(vietnam).toLocalDate(), amount, java.math.BigDecimal::add);
            }
        }
        Browser viewer = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        for (int look = 1; look <= 2; look++) { // the second look reads the hours the first one summed
            String page = viewer.request().get("/console/costs").then().statusCode(200).extract().asString();
            expected.forEach((day, amount) -> assertThat(page).contains("<td>" + day + "</td><td>777</td><td>"
                    + amount.stripTrailingZeros().toPlainString() + " VND</td>"));
            assertThat(page.split("<td>777</td>", -1)).hasSize(expected.size() + 1);
        }
        assertThat(rows.count("cost_hours")).isBetween(13L * 24, 14L * 24);
        assertThat(rows.count("oa_hour_costs")).as("the ended hours shown that had costs").isEqualTo(3);
    }

    @Test
    void theApiIsNotTheConsoles() {
        // consumers' keys do not open the console, and the console's redirect never answers the API
        RestAssured.given().redirects().follow(false).header("Authorization", "Bearer test-key").get("/console").then().statusCode(302);
        RestAssured.given().get("/v1/messages").then().statusCode(401).contentType(startsWith("application/problem+json"));
    }

    @Test
    void theLanguageSwitchesToEnglishAndBack() {
        Browser viewer = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        viewer.request().get("/console").then().statusCode(200).body(containsString("Tổng quan"));
        Response english = viewer.request().queryParam("to", "en").queryParam("back", "/console/costs").get("/console/language");
        english.then().statusCode(303).header("Location", endsWith("/console/costs"));
        viewer.request().cookie("zg-console-lang", english.getCookie("zg-console-lang")).get("/console").then().statusCode(200)
                .body(containsString("Overview"), containsString("lang=\"en\""));
        viewer.request().queryParam("to", "en").queryParam("back", "https://evil.example/console").get("/console/language")
                .then().header("Location", endsWith(":8081/console"));
    }
}
