package vn.zalogateway.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import vn.zalogateway.common.metrics.RouteTemplates;
import vn.zalogateway.support.AppLog;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Management;
import vn.zalogateway.support.TestKeys;

/**
 * The webhooks' path secrets, and the ids in other paths, never reach the metrics (every HTTP series is named
 * by its route's template, answers given before routing too), the log, or a problem's {@code instance}: the
 * test makes the calls that go wrong in every way a webhook call can, then reads /q/metrics (management port),
 * the log file the application wrote, and each problem it answered.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class SecretsInMetricsTest {

    static final String NXCLOUD = "test-nxcloud-secret";
    static final String ESMS = "test-esms-secret";
    /** A guess at a secret, as a scanner would send one: no better kept than a real one. */
    static final String GUESS = "guessed-s3cret-0427";
    static final String OVERSIZED = "{\"status\": \"success\", \"requestId\": \"r\", \"message\": \"" + "x".repeat(70_000) + "\"}";
    static final Pattern URI_TAG = Pattern.compile("^http_server_[a-z_]+\\{[^}]*uri=\"([^\"]*)\"", Pattern.MULTILINE);

    @Test
    void noWebhookSecretReachesTheMetricsOrTheLogWhateverGoesWrong() throws Exception {
        long before = AppLog.end();
        for (String secret : List.of(NXCLOUD, GUESS)) {
            String nxcloud = "/v1/webhooks/nxcloud/" + secret;
            given().contentType(ContentType.JSON).body(OVERSIZED).post(nxcloud).then().statusCode(413);
            chunked(nxcloud, OVERSIZED);
            given().contentType(ContentType.JSON).body("{\"status\": \"success\", ").post(nxcloud).then().statusCode(GUESS.equals(secret) ? 401 : 400);
            given().contentType(ContentType.TEXT).body("status=success").post(nxcloud).then().statusCode(GUESS.equals(secret) ? 401 : 400);
            given().contentType(ContentType.JSON).body("{}").put(nxcloud).then().statusCode(405);
            given().contentType(ContentType.JSON).body("{}").post(nxcloud + "/more").then().statusCode(404);
        }
        for (String secret : List.of(ESMS, GUESS)) {
            String esms = "/v1/webhooks/esms/" + secret;
            given().contentType(ContentType.URLENC).body("SMSID=" + "1".repeat(70_000)).post(esms).then().statusCode(413);
            given().queryParam("SMSID", "x".repeat(8_000)).get(esms).then().statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(400));
            given().get(esms + "?SendStatus=five").then().statusCode(GUESS.equals(secret) ? 401 : 400);
            given().contentType(ContentType.URLENC).body("SendStatus=five").post(esms).then().statusCode(GUESS.equals(secret) ? 401 : 400);
            given().contentType(ContentType.JSON).body("{\"SMSID\": \"1\"}").post(esms).then().statusCode(415);
            given().contentType(ContentType.URLENC).body("SMSID=1").delete(esms).then().statusCode(405);
        }

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(httpSeries(metrics()))
                .anyMatch(line -> line.contains("status=\"413\"") && line.contains("uri=\"/v1/webhooks/nxcloud/{secret}\""))
                .anyMatch(line -> line.contains("status=\"413\"") && line.contains("uri=\"/v1/webhooks/esms/{secret}\""))
                .anyMatch(line -> line.contains("status=\"401\"") && line.contains("uri=\"/v1/webhooks/nxcloud/{secret}\""))
                .anyMatch(line -> line.contains("status=\"415\"") && line.contains("uri=\"/v1/webhooks/esms/{secret}\"")));
        String metrics = metrics();
        io.quarkus.logging.Log.info("SecretsInMetricsTest: webhook calls done");
        String log = AppLog.since(before, "SecretsInMetricsTest: webhook calls done");
        for (String secret : List.of(NXCLOUD, ESMS, GUESS)) {
            assertThat(metrics).as("the metrics carry %s", secret).doesNotContain(secret);
            assertThat(log).as("the log carries %s", secret).doesNotContain(secret);
        }
        assertThat(uris(metrics)).isSubsetOf(known());
    }

    @Test
    void everyPathWithAnIdIsCountedUnderItsTemplate() {
        List<String> ids = new ArrayList<>();
        String id = id(ids);
        TestKeys.consumer().get("/v1/messages/" + id).then().statusCode(404);
        TestKeys.consumer().body(OVERSIZED).post("/v1/messages/" + id(ids)).then().statusCode(413); // before routing
        TestKeys.consumer().get("/v1/journeys/" + id(ids)).then().statusCode(404);
        TestKeys.consumer().body("{}").post("/v1/callbacks/" + id(ids) + "/redeliver").then().statusCode(404);
        TestKeys.consumer().get("/v1/oas/" + Math.abs(id(ids).hashCode()) + "97/quota").then().statusCode(org.hamcrest.Matchers.lessThan(500));
        TestKeys.admin().get("/v1/admin/consumers/" + id(ids)).then().statusCode(404);
        TestKeys.admin().body("{\"rate_limit_per_second\": 5}").patch("/v1/admin/consumers/" + id(ids)).then().statusCode(404);
        TestKeys.admin().post("/v1/admin/consumers/" + id(ids) + "/keys").then().statusCode(404);
        TestKeys.admin().delete("/v1/admin/consumers/" + id(ids) + "/keys/" + id(ids)).then().statusCode(404);
        TestKeys.admin().post("/v1/admin/consumers/" + id(ids) + "/callback-secret").then().statusCode(404);
        TestKeys.admin().body(OVERSIZED).post("/v1/admin/consumers/" + id(ids) + "/keys").then().statusCode(413);
        given().get("/v1/messages/" + id(ids)).then().statusCode(401); // no key
        // The console: without a session the security layer answers before routing.
        for (String path : List.of("/console/messages/" + id(ids), "/console/journeys/" + id(ids), "/console/consumers/" + id(ids))) {
            given().redirects().follow(false).get(path).then().statusCode(org.hamcrest.Matchers.anyOf(
                    org.hamcrest.Matchers.is(302), org.hamcrest.Matchers.is(303), org.hamcrest.Matchers.is(401)));
        }
        given().redirects().follow(false).contentType(ContentType.URLENC).body("csrf-token=x")
                .post("/console/consumers/" + id(ids) + "/deliveries/" + id(ids) + "/redeliver").then()
                .statusCode(org.hamcrest.Matchers.greaterThanOrEqualTo(300));
        TestKeys.consumer().get("/v1/no-such-route/" + id(ids)).then().statusCode(404);
        given().get("/" + id(ids)).then().statusCode(404);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(uris(metrics()))
                .contains("/v1/messages/{id}", "/v1/journeys/{id}", "/v1/callbacks/{id}/redeliver", "/v1/oas/{oa_id}/quota",
                        "/v1/admin/consumers/{id}", "/v1/admin/consumers/{id}/keys", "/v1/admin/consumers/{id}/keys/{keyId}",
                        "/v1/admin/consumers/{id}/callback-secret", "/console/messages/{id}", "/console/journeys/{id}",
                        "/console/consumers/{id}", "/console/consumers/{id}/deliveries/{event}/redeliver", "NOT_FOUND"));
        String metrics = metrics();
        assertThat(httpSeries(metrics)).anyMatch(line -> line.contains("status=\"413\"") && line.contains("uri=\"/v1/messages/{id}\""));
        for (String each : ids) {
            assertThat(metrics).as("the metrics carry the id %s", each).doesNotContain(each);
        }
        assertThat(uris(metrics)).isSubsetOf(known());
    }

    /** docs/RELIABILITY.md: a problem's instance is redacted. Here, for every problem a webhook can answer. */
    @Test
    void noProblemAWebhookAnswersCarriesItsSecretInItsInstance() {
        String nxcloud = "/v1/webhooks/nxcloud/";
        String esms = "/v1/webhooks/esms/";
        List<Object[]> answers = List.of(
                new Object[] { "malformed JSON", nxcloud, given().contentType(ContentType.JSON).body("{\"status\": ").post(nxcloud + NXCLOUD) },
                new Object[] { "unreadable receipt", nxcloud, given().contentType(ContentType.JSON).body("[1]").post(nxcloud + NXCLOUD) },
                new Object[] { "wrong secret", nxcloud, given().contentType(ContentType.JSON).body("{}").post(nxcloud + GUESS) },
                new Object[] { "body too large", nxcloud, given().contentType(ContentType.JSON).body(OVERSIZED).post(nxcloud + NXCLOUD) },
                new Object[] { "method not allowed", nxcloud, given().contentType(ContentType.JSON).body("{}").put(nxcloud + NXCLOUD) },
                new Object[] { "not acceptable", nxcloud, given().accept("application/xml").contentType(ContentType.JSON)
                        .body("{\"status\": \"success\", \"requestId\": \"r\"}").post(nxcloud + NXCLOUD) },
                new Object[] { "no such path", nxcloud, given().contentType(ContentType.JSON).body("{}").post(nxcloud + NXCLOUD + "/more") },
                new Object[] { "unreadable callback", esms, given().get(esms + ESMS + "?SendStatus=five") },
                new Object[] { "unreadable form", esms, given().contentType(ContentType.URLENC).body("SendStatus=five").post(esms + ESMS) },
                new Object[] { "wrong secret", esms, given().get(esms + GUESS + "?SMSID=1&SendStatus=5") },
                new Object[] { "unsupported media type", esms, given().contentType(ContentType.JSON).body("{}").post(esms + ESMS) },
                new Object[] { "body too large", esms, given().contentType(ContentType.URLENC).body("SMSID=" + "1".repeat(70_000)).post(esms + ESMS) },
                new Object[] { "method not allowed", esms, given().delete(esms + ESMS) },
                new Object[] { "no such path", esms, given().get(esms + ESMS + "/more?SMSID=1") });
        Set<Integer> statuses = new TreeSet<>();
        for (Object[] answer : answers) {
            Response response = (Response) answer[2];
            statuses.add(response.statusCode());
            assertThat(response.statusCode()).as("%s", answer[0]).isBetween(400, 499);
            assertThat(response.contentType()).as("%s", answer[0]).startsWith("application/problem+json");
            assertThat(response.jsonPath().getString("instance")).as("%s", answer[0]).isEqualTo(answer[1] + "***");
            String body = response.asString();
            for (String secret : List.of(NXCLOUD, ESMS, GUESS)) {
                assertThat(body).as("%s carries %s", answer[0], secret).doesNotContain(secret);
            }
        }
        assertThat(statuses).contains(400, 401, 404, 405, 413, 415);
    }

    /** An oversized body sent in chunks, without a Content-Length: Quarkus itself refuses it (or drops the connection). */
    static void chunked(String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + RestAssured.port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))))
                .build();
        try {
            int status = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            assertThat(status).isEqualTo(413);
        } catch (java.io.IOException dropped) {
            // the server may close the connection while the body is still being sent: refused all the same
        }
    }

    static String id(List<String> ids) {
        String id = UUID.randomUUID().toString();
        ids.add(id);
        return id;
    }

    static String metrics() {
        return Management.given().get("/q/metrics").then().statusCode(200).extract().asString();
    }

    static List<String> httpSeries(String metrics) {
        return metrics.lines().filter(line -> line.startsWith("http_server_")).toList();
    }

    static Set<String> uris(String metrics) {
        Set<String> uris = new TreeSet<>();
        Matcher uri = URI_TAG.matcher(metrics);
        while (uri.find()) {
            uris.add(uri.group(1));
        }
        return uris;
    }

    static Set<String> known() {
        Set<String> known = new TreeSet<>(RouteTemplates.APPLICATION);
        known.addAll(List.of("NOT_FOUND", "UNKNOWN", "REDIRECTION", "root"));
        return known;
    }
}
