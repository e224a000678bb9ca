package vn.zalogateway.journey;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.either;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

@QuarkusTest
@WithTestResource(EtelecomStub.class)
class JourneyResourceTest {

    static final String OA_ID = "3041812345605770721";
    static final String PHONE = "84912345678";

    static final String CREATED = EtelecomStub.CREATED_JOURNEY;

    @InjectWireMock
    WireMockServer etelecom;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @Inject
    MeterRegistry meters;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("journeys", "idempotency_keys");
        etelecom.resetAll();
        circuitBreakers.resetAll();
    }

    static RequestSpecification consumer() {
        return TestKeys.consumer();
    }

    static String body(String oaId, String phone, String tokenType) {
        return EtelecomStub.journeyRequest(oaId, phone, tokenType);
    }

    void etelecomAnswers(String json) {
        etelecom.stubFor(post(CREATE_JOURNEY()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(json)));
    }

    static com.github.tomakehurst.wiremock.matching.UrlPattern CREATE_JOURNEY() {
        return urlEqualTo(EtelecomStub.CREATE_JOURNEY);
    }

    int etelecomCalls() {
        return etelecom.findAll(postRequestedFor(CREATE_JOURNEY())).size();
    }

    // --- the happy path ------------------------------------------------------------------------

    @Test
    void createsAJourneyThroughEtelecomAndStoresIt() {
        etelecomAnswers(CREATED);

        Response response = consumer().body(body(OA_ID, PHONE, "token_logistics_7"))
                .when().post("/v1/journeys")
                .then().statusCode(201)
                .contentType(ContentType.JSON)
                .extract().response();

        String id = response.path("id");
        assertThat(response.header("Location")).endsWith("/v1/journeys/" + id);
        response.then()
                .body("oa_id", equalTo(OA_ID))
                .body("phone", equalTo(PHONE))
                .body("token_type", equalTo("token_logistics_7"))
                .body("journey_id", equalTo("1260521234558967296"))
                .body("journey_token", equalTo("jt_3f9a8c7e1d"))
                .body("status", equalTo("NEW"))
                .body("provider_status", equalTo("Z"))
                .body("charged", equalTo(false))
                .body("expires_at", equalTo("2036-11-30T10:00:00+07:00"))
                .body("created_at", notNullValue())
                .body("updated_at", notNullValue())
                .body("error", nullValue());

        // Exactly what eTelecom received.
        etelecom.verify(1, postRequestedFor(CREATE_JOURNEY())
                .withHeader("Authorization", com.github.tomakehurst.wiremock.client.WireMock.equalTo("Bearer " + EtelecomStub.API_KEY))
                .withHeader("Content-Type", com.github.tomakehurst.wiremock.client.WireMock.containing("application/json"))
                .withRequestBody(equalToJson("""
                        {"oa_id": "3041812345605770721", "phone": "84912345678", "token_type": "token_logistics_7"}""")));

        Map<String, Object> row = rows.one("select * from journeys where id = ?::uuid", id);
        assertThat(row).containsEntry("oa_id", 3041812345605770721L)
                .containsEntry("phone", PHONE)
                .containsEntry("token_type", "token_logistics_7")
                .containsEntry("status", "NEW")
                .containsEntry("provider_status", "Z")
                .containsEntry("provider_ref", "1155112233445566778")
                .containsEntry("journey_id", "1260521234558967296")
                .containsEntry("journey_token", "jt_3f9a8c7e1d")
                .containsEntry("charged", false)
                .containsEntry("failure_kind", null);
        assertThat(((java.sql.Timestamp) row.get("expires_at")).toInstant())
                .isEqualTo(OffsetDateTime.parse("2036-11-30T03:00:00Z").toInstant());

        consumer().get("/v1/journeys/" + id).then().statusCode(200)
                .body("id", equalTo(id))
                .body("journey_token", equalTo("jt_3f9a8c7e1d"))
                .body("status", equalTo("NEW"));
    }

    @ParameterizedTest
    @CsvSource({
            "token_logistics_7, token_logistics_7",
            "token_logistics_30, token_logistics_30",
            "token_coach_bus_7, token_coach_bus_7",
            "token_coach_bus_30, token_coach_bus_30",
            "unknown, unknown",
            ", token_logistics_7" })
    void sendsEachTokenTypeAndDefaultsToLogistics7(String requested, String sent) {
        etelecomAnswers(CREATED);

        consumer().body(body(OA_ID, PHONE, requested)).post("/v1/journeys")
                .then().statusCode(201).body("token_type", equalTo(sent));

        etelecom.verify(1, postRequestedFor(CREATE_JOURNEY())
                .withRequestBody(equalToJson("{\"oa_id\": \"" + OA_ID + "\", \"phone\": \"" + PHONE
                        + "\", \"token_type\": \"" + sent + "\"}")));
        assertThat(rows.one("select token_type from journeys")).containsEntry("token_type", sent);
    }

    @ParameterizedTest
    @CsvSource({ "0912345678", "84912345678", "+84912345678", "0389999999", "0799999999", "0599999999", "0889999999" })
    void normalisesPhonesTo84(String phone) {
        etelecomAnswers(CREATED);
        String expected = "84" + phone.substring(phone.startsWith("+") ? 3 : phone.startsWith("84") ? 2 : 1);

        consumer().body(body(OA_ID, phone, null)).post("/v1/journeys")
                .then().statusCode(201).body("phone", equalTo(expected));

        etelecom.verify(1, postRequestedFor(CREATE_JOURNEY())
                .withRequestBody(com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath("$.phone",
                        com.github.tomakehurst.wiremock.client.WireMock.equalTo(expected))));
    }

    @Test
    void acceptsOaIdAsAJsonNumber() {
        etelecomAnswers(CREATED);

        consumer().body("{\"oa_id\": 3041812345605770721, \"phone\": \"0912345678\"}").post("/v1/journeys")
                .then().statusCode(201).body("oa_id", equalTo(OA_ID));

        etelecom.verify(1, postRequestedFor(CREATE_JOURNEY())
                .withRequestBody(equalToJson("{\"oa_id\": \"" + OA_ID + "\", \"phone\": \"84912345678\", "
                        + "\"token_type\": \"token_logistics_7\"}")));
    }

    @ParameterizedTest
    @CsvSource({ "P, ENABLED", "N, DISABLED", "Z, NEW", "Q, UNKNOWN" })
    void mapsEtelecomStatusLetters(String letter, String status) {
        etelecomAnswers(CREATED.replace("\"status\": \"Z\"", "\"status\": \"" + letter + "\"")
                .replace("\"is_charged\": false", "\"is_charged\": true"));

        consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(201).body("status", equalTo(status)).body("provider_status", equalTo(letter))
                .body("charged", equalTo(true));
    }

    /** A success that leaves out its zero error_code, a token in hand, is a created journey, not a 502. */
    @Test
    void anAnswerWithATokenButNoErrorCodeIsACreatedJourney() {
        etelecomAnswers(CREATED.replaceAll("\"error_code\": 0,", ""));
        consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(201).body("status", equalTo("NEW")).body("journey_token", org.hamcrest.Matchers.notNullValue());
    }

    @Test
    void acceptsTheExpiresAtSpellingAndAnUnreadableDate() {
        etelecomAnswers(CREATED.replace("\"expired_at\"", "\"expires_at\""));
        consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(201).body("expires_at", equalTo("2036-11-30T10:00:00+07:00"));

        etelecomAnswers(CREATED.replace("2036-11-30T03:00:00Z", "next tuesday"));
        consumer().body(body(OA_ID, "0912345679", null)).post("/v1/journeys")
                .then().statusCode(201).body("expires_at", nullValue()).body("journey_token", equalTo("jt_3f9a8c7e1d"));
    }

    // --- bad input: 400 with the field, nothing sent, nothing stored ----------------------------

    static Stream<Arguments> badRequests() {
        String huge = "9".repeat(60_000); // large, yet under the 64 KiB body limit
        return Stream.of(
                Arguments.of("missing oa_id", "{\"phone\": \"0912345678\"}", "oa_id"),
                Arguments.of("null oa_id", "{\"oa_id\": null, \"phone\": \"0912345678\"}", "oa_id"),
                Arguments.of("empty oa_id", "{\"oa_id\": \"\", \"phone\": \"0912345678\"}", "oa_id"),
                Arguments.of("non-numeric oa_id", body("30418abc", "0912345678", null), "oa_id"),
                Arguments.of("negative oa_id", body("-3041812345605770721", "0912345678", null), "oa_id"),
                Arguments.of("oa_id beyond int64", body("9223372036854775808", "0912345678", null), "oa_id"),
                Arguments.of("oa_id with leading zero", body("03041812345", "0912345678", null), "oa_id"),
                Arguments.of("oa_id decimal", "{\"oa_id\": 3041.5, \"phone\": \"0912345678\"}", "oa_id"),
                Arguments.of("oa_id boolean", "{\"oa_id\": true, \"phone\": \"0912345678\"}", "oa_id"),
                Arguments.of("oa_id object", "{\"oa_id\": {\"id\": 1}, \"phone\": \"0912345678\"}", "oa_id"),
                Arguments.of("oa_id array", "{\"oa_id\": [1], \"phone\": \"0912345678\"}", "oa_id"),
                Arguments.of("missing phone", "{\"oa_id\": \"" + OA_ID + "\"}", "phone"),
                Arguments.of("short phone", body(OA_ID, "091234567", null), "phone"),
                Arguments.of("long phone", body(OA_ID, "09123456789", null), "phone"),
                Arguments.of("landline", body(OA_ID, "02412345678", null), "phone"),
                Arguments.of("foreign number", body(OA_ID, "+6591234567", null), "phone"),
                Arguments.of("phone with spaces", body(OA_ID, "0912 345 678", null), "phone"),
                Arguments.of("phone with letters", body(OA_ID, "09123456ab", null), "phone"),
                Arguments.of("phone 84 without subscriber", body(OA_ID, "84", null), "phone"),
                Arguments.of("phone 0 prefix on 84", body(OA_ID, "084912345678", null), "phone"),
                Arguments.of("phone array", "{\"oa_id\": \"" + OA_ID + "\", \"phone\": [\"0912345678\"]}", "phone"),
                Arguments.of("unknown token_type", body(OA_ID, "0912345678", "token_logistics_14"), "token_type"),
                Arguments.of("token_type case", body(OA_ID, "0912345678", "TOKEN_LOGISTICS_7"), "token_type"),
                Arguments.of("token_type object", "{\"oa_id\": \"" + OA_ID + "\", \"phone\": \"0912345678\", "
                        + "\"token_type\": {}}", "token_type"),
                Arguments.of("huge oa_id", body(huge, "0912345678", null), "oa_id"),
                Arguments.of("huge phone", body(OA_ID, huge, null), "phone"),
                Arguments.of("huge token_type", body(OA_ID, "0912345678", "x".repeat(60_000)), "token_type"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void rejectsBadInputWithTheFieldAndSendsNothing(String name, String json, String field) {
        Response response = consumer().body(json).post("/v1/journeys")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("status", equalTo(400))
                .body("type", notNullValue())
                .body("title", notNullValue())
                .body("violations.field", hasItem(field))
                .extract().response();

        assertThat(response.asString()).as("no echo of hostile input").hasSizeLessThan(2_000);
        assertThat(etelecomCalls()).isZero();
        assertThat(rows.count("journeys")).isZero();
    }

    @Test
    void listsEveryViolationAtOnce() {
        consumer().body("{\"oa_id\": \"abc\", \"phone\": \"12\", \"token_type\": \"daily\"}").post("/v1/journeys")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:validation"))
                .body("violations", hasSize(3))
                .body("violations.field", org.hamcrest.Matchers.contains("oa_id", "phone", "token_type"))
                .body("violations[0].message", equalTo("must be a positive int64 in decimal digits"))
                .body("violations[1].message", containsString("0912345678, 84912345678 or +84912345678"))
                .body("violations[2].message", containsString("token_logistics_30"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''|body",
            "null|body",
            "[]|body",
            "\"text\"|body" })
    void rejectsAMissingOrNonObjectBody(String json, String field) {
        consumer().body(json).post("/v1/journeys")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", hasItem(field));
        assertThat(etelecomCalls()).isZero();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"oa_id\": \"1\", \"phone\": ",
            "{oa_id: 1}",
            "{\"oa_id\": \"1\",, }",
            "not json at all" })
    void rejectsMalformedJson(String json) {
        consumer().body(json).post("/v1/journeys")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:malformed-json"))
                .body("detail", containsString("not well-formed JSON"));
        assertThat(etelecomCalls()).isZero();
        assertThat(rows.count("journeys")).isZero();
    }

    @Test
    void rejectsAWrongContentTypeAndAnOversizedBody() {
        given().auth().oauth2(TestKeys.KEY).contentType(ContentType.TEXT).body(body(OA_ID, PHONE, null))
                .post("/v1/journeys")
                .then().statusCode(415).contentType("application/problem+json").body("status", equalTo(415))
                .body("type", equalTo("urn:zalo-gateway:problem:unsupported-media-type"))
                .body("detail", equalTo("The body must be JSON sent with 'Content-Type: application/json'; "
                        + "the request had Content-Type 'text/plain; charset=ISO-8859-1'"));
        given().auth().oauth2(TestKeys.KEY).body(body(OA_ID, PHONE, null).getBytes(java.nio.charset.StandardCharsets.UTF_8))
                .post("/v1/journeys")
                .then().statusCode(415).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:unsupported-media-type"))
                .body("detail", containsString("application/json"));

        consumer().body("{\"oa_id\": \"" + "1".repeat(70_000) + "\"}").post("/v1/journeys")
                .then().statusCode(413).contentType("application/problem+json").body("status", equalTo(413));
        assertThat(etelecomCalls()).isZero();
    }

    // --- eTelecom says no, or is not there ------------------------------------------------------

    @Test
    void etelecomRefusalIsA422WithItsCodeAndTheAttemptIsKept() {
        etelecomAnswers("""
                {"error_code": 7, "error_message": "Số điện thoại chưa đăng ký Zalo", "id": "", "journey_id": "",
                 "journey_token": "", "status": "", "is_charged": false}""");

        Response response = consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:provider-refused"))
                .body("provider", equalTo("eTelecom"))
                .body("provider_code", equalTo("7"))
                .body("provider_message", equalTo("Số điện thoại chưa đăng ký Zalo"))
                .body("instance", org.hamcrest.Matchers.startsWith("/v1/journeys/"))
                .extract().response();

        assertThat(etelecomCalls()).as("a refusal is final: no retry").isEqualTo(1);
        String instance = response.path("instance");
        Map<String, Object> row = rows.one("select * from journeys");
        assertThat(instance).isEqualTo("/v1/journeys/" + row.get("id"));
        assertThat(row).containsEntry("status", "FAILED").containsEntry("failure_kind", "REFUSED")
                .containsEntry("error_code", "7").containsEntry("error_message", "Số điện thoại chưa đăng ký Zalo")
                .containsEntry("journey_token", null);

        consumer().get(instance).then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("error.code", equalTo("7"))
                .body("error.message", equalTo("Số điện thoại chưa đăng ký Zalo"));
    }

    @Test
    void etelecomInvalidArgumentIsA422WithItsCode() {
        etelecom.stubFor(post(CREATE_JOURNEY()).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\": \"invalid_argument\", \"msg\": \"phone is invalid\"}")));

        consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(422)
                .body("provider_code", equalTo("invalid_argument"))
                .body("provider_message", equalTo("phone is invalid"));
        assertThat(etelecomCalls()).isEqualTo(1);
    }

    /**
     * eTelecom may have made the token before it answered 5xx, and documents no dropping of a repeat: the call is not
     * made again (here a second call would have succeeded), the attempt is kept as failed with an unknown outcome.
     */
    @Test
    void etelecom5xxIsNotRepeatedA502AndTheAttemptIsKept() {
        etelecom.stubFor(post(CREATE_JOURNEY()).inScenario("5xx").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("maintenance")).willSetStateTo("healthy"));
        etelecom.stubFor(post(CREATE_JOURNEY()).inScenario("5xx").whenScenarioStateIs("healthy")
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(CREATED)));

        String instance = consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:provider-unavailable"))
                .body("title", equalTo("eTelecom is unavailable"))
                .body("status", equalTo(502))
                .body("detail", equalTo("eTelecom answered HTTP 503"))
                .extract().path("instance");

        assertThat(etelecomCalls()).as("a 5xx is not repeated").isEqualTo(1);
        Map<String, Object> row = rows.one("select * from journeys");
        assertThat(instance).isEqualTo("/v1/journeys/" + row.get("id"));
        // UNAVAILABLE: eTelecom may have made a token (NOT_REACHED would say it certainly did not).
        assertThat(row).containsEntry("status", "FAILED").containsEntry("failure_kind", "UNAVAILABLE")
                .containsEntry("error_code", "upstream_unavailable").containsEntry("error_message", "eTelecom answered HTTP 503")
                .containsEntry("journey_id", null).containsEntry("journey_token", null);
        consumer().get(instance).then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("journey_token", nullValue())
                .body("error.code", equalTo("upstream_unavailable"))
                .body("error.message", equalTo("eTelecom answered HTTP 503"));
    }

    /** eTelecom's own times of the token and the phone it linked, as eTelecom wrote them, are shown on the journey. */
    @Test
    void etelecomsTimesAndPhoneOfTheTokenAreShownOnTheJourney() {
        etelecomAnswers(CREATED.replace("\"updated_at\": \"2036-11-23T03:00:00Z\"", "\"updated_at\": \"2036-11-23T03:05:30Z\"")
                .replace("\"phone\": \"84912345678\"", "\"phone\": \"+84 912 345 678\""));
        String id = consumer().body(body(OA_ID, "0912345678", null)).post("/v1/journeys").then().statusCode(201)
                .body("provider.phone", equalTo("+84 912 345 678")).extract().path("id");

        consumer().get("/v1/journeys/" + id).then().statusCode(200)
                .body("phone", equalTo(PHONE))
                .body("provider.created_at", equalTo("2036-11-23T10:00:00+07:00"))
                .body("provider.updated_at", equalTo("2036-11-23T10:05:30+07:00"))
                .body("provider.phone", equalTo("+84 912 345 678"));
    }

    /**
     * eTelecom's id one character longer than the gateway keeps (64): not cut (it would be another id), the attempt
     * fails, 502, with eTelecom's answer kept; eTelecom may have made the token, so the call is not made again.
     */
    @Test
    void anIdTooLongToKeepIsA502AndTheAnswerIsKept() {
        String answer = CREATED.replace("\"id\": \"1155112233445566778\"", "\"id\": \"" + "9".repeat(65) + "\"");
        etelecomAnswers(answer);

        String instance = consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:provider-unavailable"))
                .body("detail", containsString("id of 65 characters (at most 64)"))
                .extract().path("instance");

        assertThat(etelecomCalls()).isEqualTo(1);
        assertThat(rows.one("select status, failure_kind, provider_ref, journey_id, journey_token, provider_answer from journeys"))
                .containsEntry("status", "FAILED").containsEntry("failure_kind", "UNAVAILABLE")
                .containsEntry("provider_ref", null).containsEntry("journey_id", null).containsEntry("journey_token", null)
                .containsEntry("provider_answer", answer);
        consumer().get(instance).then().statusCode(200)
                .body("status", equalTo("FAILED"))
                .body("error.code", equalTo("upstream_unavailable"))
                .body("error.message", containsString("id of 65 characters"));
    }

    /**
     * A call that certainly never reached eTelecom (the connection refused: nothing listens on its port) is made
     * again, with backoff: eTelecom, back by then, gets the one request and the consumer its token.
     */
    @Test
    void aConnectionRefusedIsRetriedIntoSuccess() throws Exception {
        etelecomAnswers(CREATED);
        double refusedBefore = unavailableCalls();

        etelecom.stop();
        CompletableFuture<Response> answer;
        try {
            answer = CompletableFuture.supplyAsync(() -> consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys"));
            // The first attempt refused; eTelecom back well before the retries run out (200 ms, then 600 ms later).
            await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                    .until(() -> unavailableCalls() > refusedBefore);
        } finally {
            etelecom.start();
        }

        answer.get(20, TimeUnit.SECONDS).then().statusCode(201)
                .body("status", equalTo("NEW"))
                .body("journey_token", equalTo("jt_3f9a8c7e1d"))
                .body("error", nullValue());
        assertThat(etelecomCalls()).as("the refused attempt never arrived; the retry did, once").isEqualTo(1);
        assertThat(unavailableCalls() - refusedBefore).as("attempts refused before eTelecom was back").isBetween(1.0, 2.0);
        assertThat(rows.one("select status, failure_kind, error_code, journey_token from journeys"))
                .containsEntry("status", "NEW").containsEntry("failure_kind", null).containsEntry("error_code", null)
                .containsEntry("journey_token", "jt_3f9a8c7e1d");
    }

    /** CreateJourney attempts that ended without an answer from eTelecom to read (refused, 5xx, unreadable). */
    double unavailableCalls() {
        Timer calls = meters.find("gateway.upstream.calls")
                .tags("provider", "etelecom", "operation", "CreateJourney", "outcome", "unavailable").timer();
        return calls == null ? 0 : calls.count();
    }

    @Test
    void aSlowEtelecomIsA504InBoundedTime() {
        etelecom.stubFor(post(CREATE_JOURNEY()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(CREATED).withFixedDelay(3_000)));

        long started = System.nanoTime();
        consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(504).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:provider-timeout"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        // One attempt of 500 ms (a call that timed out may have reached eTelecom: not repeated), far below the stub's 3 s.
        assertThat(took).isLessThan(Duration.ofSeconds(3));
        assertThat(rows.one("select status, failure_kind from journeys"))
                .containsEntry("status", "FAILED").containsEntry("failure_kind", "TIMEOUT");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "text/html|<html><body>Bad gateway</body></html>",
            "application/json|{\"error_code\": 0, \"journey_id\": ",
            "application/json|{\"error_code\": \"zero\"}",
            "application/json|{\"error_code\": 0, \"journey_id\": \"\", \"journey_token\": \"\"}",
            "application/json|[]",
            "application/json|{}" })
    void anUnreadableAnswerIsA502WithoutRetry(String contentType, String answer) {
        etelecom.stubFor(post(CREATE_JOURNEY()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", contentType).withBody(answer)));

        consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:provider-unavailable"));
        assertThat(etelecomCalls()).isEqualTo(1);
        assertThat(rows.one("select status from journeys")).containsEntry("status", "FAILED");
    }

    @Test
    void aRefusedGatewayKeyIsA502ThatLeaksNoSecret() {
        etelecom.stubFor(post(CREATE_JOURNEY()).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"code\": \"unauthenticated\", \"msg\": \"bad key " + EtelecomStub.API_KEY + "\"}")));

        String answer = consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(502).body("detail", containsString("gateway.etelecom.api-key"))
                .extract().asString();
        assertThat(answer).doesNotContain(EtelecomStub.API_KEY);
        assertThat(rows.one("select error_message from journeys").get("error_message").toString())
                .doesNotContain(EtelecomStub.API_KEY);
    }

    /**
     * The breaker looks at the last 10 calls: 10 failures (each one call, a 5xx is not repeated) open it, and the
     * next consumer gets a 502 at once, without a call: its attempt is kept as certainly not reached.
     */
    @Test
    void aFailingEtelecomOpensTheCircuitAndConsumersFailFast() {
        etelecom.stubFor(post(CREATE_JOURNEY()).willReturn(aResponse().withStatus(500)));

        for (int call = 1; call <= 10; call++) {
            // 504 only when this machine is too slow for the tests' 500 ms timeout (a cold first call): a failure too.
            consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                    .then().statusCode(either(equalTo(502)).or(equalTo(504)));
            int calls = call;
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() ->
                    assertThat(etelecomCalls()).as("eTelecom called once per request").isEqualTo(calls));
        }

        String instance = consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:provider-unavailable"))
                .body("detail", equalTo("eTelecom is failing; calls are paused for a while (circuit open)"))
                .extract().path("instance");
        assertThat(etelecomCalls()).as("an open circuit does not call eTelecom").isEqualTo(10);
        assertThat(rows.one("select status, failure_kind, error_code from journeys where id = ?::uuid",
                instance.substring("/v1/journeys/".length())))
                .containsEntry("status", "FAILED").containsEntry("failure_kind", "NOT_REACHED")
                .containsEntry("error_code", "upstream_unavailable");
        assertThat(rows.count("journeys")).as("every attempt kept").isEqualTo(11);
    }

    // --- Idempotency-Key ------------------------------------------------------------------------

    @Test
    void aRepeatedKeyReplaysTheFirstAnswerWithoutCallingAgain() {
        etelecomAnswers(CREATED);

        String first = consumer().header("Idempotency-Key", "order-42").body(body(OA_ID, "0912345678", null))
                .post("/v1/journeys").then().statusCode(201).header("Idempotent-Replayed", nullValue())
                .extract().path("id");
        // Same meaning, other spelling of the phone: the same request.
        consumer().header("Idempotency-Key", "order-42").body(body(OA_ID, "+84912345678", "token_logistics_7"))
                .post("/v1/journeys").then().statusCode(201)
                .header("Idempotent-Replayed", equalTo("true"))
                .header("Location", endsWith("/v1/journeys/" + first))
                .body("id", equalTo(first))
                .body("journey_token", equalTo("jt_3f9a8c7e1d"));

        assertThat(etelecomCalls()).isEqualTo(1);
        assertThat(rows.count("journeys")).isEqualTo(1);
    }

    @Test
    void aRefusalIsReplayedToo() {
        etelecomAnswers("{\"error_code\": 3, \"error_message\": \"OA không hợp lệ\"}");

        String first = consumer().header("Idempotency-Key", "k-refused").body(body(OA_ID, PHONE, null))
                .post("/v1/journeys").then().statusCode(422).extract().path("instance");
        consumer().header("Idempotency-Key", "k-refused").body(body(OA_ID, PHONE, null))
                .post("/v1/journeys").then().statusCode(422)
                .header("Idempotent-Replayed", equalTo("true"))
                .body("instance", equalTo(first))
                .body("provider_code", equalTo("3"));
        assertThat(etelecomCalls()).isEqualTo(1);
    }

    @Test
    void aKeyReusedWithAnotherBodyIs422AndKeysAreScopedPerConsumer() {
        etelecomAnswers(CREATED);
        consumer().header("Idempotency-Key", "k1").body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(201);

        consumer().header("Idempotency-Key", "k1").body(body(OA_ID, "0912345679", null)).post("/v1/journeys")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:idempotency-key-reused"));

        // Another consumer's k1 is another key.
        String otherKey = vn.zalogateway.support.Consumers.make("other", java.util.List.of("*"), null).apiKey();
        given().auth().oauth2(otherKey).contentType(ContentType.JSON).header("Idempotency-Key", "k1")
                .body(body(OA_ID, "0912345679", null)).post("/v1/journeys")
                .then().statusCode(201).header("Idempotent-Replayed", nullValue());
        assertThat(etelecomCalls()).isEqualTo(2);
    }

    @Test
    void aKeyStillInFlightIs409AndConcurrentTwinsCallOnce() throws Exception {
        etelecom.stubFor(post(CREATE_JOURNEY()).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(CREATED).withFixedDelay(300)));

        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<CompletableFuture<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                answers.add(CompletableFuture.supplyAsync(() -> consumer().header("Idempotency-Key", "twin")
                        .body(body(OA_ID, PHONE, null)).post("/v1/journeys").statusCode(), pool));
            }
            List<Integer> statuses = answers.stream().map(CompletableFuture::join).toList();
            assertThat(statuses).contains(201).allMatch(status -> status == 201 || status == 409);
            assertThat(statuses.stream().filter(status -> status == 201)).hasSize(1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(etelecomCalls()).isEqualTo(1);
        assertThat(rows.count("journeys")).isEqualTo(1);

        consumer().header("Idempotency-Key", "twin").body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(201).header("Idempotent-Replayed", equalTo("true"));
    }

    @Test
    void aKeyWhoseAttemptFailedTransientlyMakesANewAttempt() {
        etelecom.stubFor(post(CREATE_JOURNEY()).willReturn(aResponse().withStatus(500)));
        String failed = consumer().header("Idempotency-Key", "k-retry").body(body(OA_ID, PHONE, null))
                .post("/v1/journeys").then().statusCode(502).extract().path("instance");

        etelecom.resetAll();
        circuitBreakers.resetAll();
        etelecomAnswers(CREATED);
        String created = consumer().header("Idempotency-Key", "k-retry").body(body(OA_ID, PHONE, null))
                .post("/v1/journeys").then().statusCode(201).header("Idempotent-Replayed", nullValue())
                .extract().path("id");

        assertThat(failed).isNotEqualTo("/v1/journeys/" + created);
        assertThat(rows.one("select resource_id from idempotency_keys").get("resource_id").toString()).isEqualTo(created);
        assertThat(rows.count("journeys")).as("both attempts are kept").isEqualTo(2);
    }

    @Test
    void aKeyLeftInFlightByACrashIsTakenOverAfterTheLease() {
        etelecomAnswers(CREATED);
        // What a gateway killed mid-call leaves behind.
        rows.execute("insert into journeys (consumer_id, id, oa_id, phone, token_type, status, created_at, updated_at) values "
                + "('00000000-0000-7000-8000-000000000001', '0190a0a0-0000-7000-8000-000000000001', " + OA_ID + ", '" + PHONE + "', 'token_logistics_7', "
                + "'PENDING', now() - interval '10 minutes', now() - interval '10 minutes')");
        rows.execute("insert into idempotency_keys values ('" + consumerOf(TestKeys.KEY) + "', 'POST /v1/journeys', "
                + "'k-crash', encode(sha256(convert_to('" + OA_ID + "|" + PHONE + "|token_logistics_7', 'UTF8')), 'hex'), "
                + "'0190a0a0-0000-7000-8000-000000000001', now() - interval '10 minutes')");

        consumer().header("Idempotency-Key", "k-crash").body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(201).body("id", not(equalTo("0190a0a0-0000-7000-8000-000000000001")));
        assertThat(rows.one("select status, failure_kind from journeys where id = '0190a0a0-0000-7000-8000-000000000001'"))
                .containsEntry("status", "FAILED").containsEntry("failure_kind", "ABANDONED");
    }

    @ParameterizedTest
    @CsvSource({ "has space", "tab\there", "é-not-ascii" })
    void rejectsAMalformedKey(String key) {
        consumer().header("Idempotency-Key", key).body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(400).body("violations[0].field", equalTo("Idempotency-Key"));
        consumer().header("Idempotency-Key", "k".repeat(256)).body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(400).body("violations[0].field", equalTo("Idempotency-Key"));
        assertThat(etelecomCalls()).isZero();
    }

    /** The scope of a configured key's Idempotency-Keys: the built-in consumer it belongs to. */
    static String consumerOf(String key) {
        return vn.zalogateway.common.auth.ConsumerIdentity.DEFAULT_ID.toString();
    }

    // --- authentication -------------------------------------------------------------------------

    @Test
    void everyCallNeedsAKnownApiKey() {
        etelecomAnswers(CREATED);
        given().contentType(ContentType.JSON).body(body(OA_ID, PHONE, null)).post("/v1/journeys")
                .then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("status", equalTo(401));
        given().auth().oauth2("not-a-key").contentType(ContentType.JSON).body(body(OA_ID, PHONE, null))
                .post("/v1/journeys").then().statusCode(401)
                .body("detail", equalTo("The API key is not known to this gateway"));
        given().header("Authorization", "Basic dGVzdC1rZXk6").contentType(ContentType.JSON)
                .body(body(OA_ID, PHONE, null)).post("/v1/journeys").then().statusCode(401);
        // a valid key without its scheme: say what is missing, not that the key is unknown
        given().header("Authorization", TestKeys.KEY).contentType(ContentType.JSON)
                .body(body(OA_ID, PHONE, null)).post("/v1/journeys").then().statusCode(401)
                .body("detail", equalTo("The Authorization header lacks the 'Bearer ' scheme: send 'Authorization: Bearer <api-key>'"));
        given().get("/v1/journeys").then().statusCode(401);
        given().get("/v1/journeys/0190a0a0-0000-7000-8000-000000000001").then().statusCode(401);

        assertThat(etelecomCalls()).isZero();
        assertThat(rows.count("journeys")).isZero();
    }

    // --- attempts that never finished, tokens that expired --------------------------------------

    @Inject
    AbandonedJourneys abandoned;

    @Test
    void anAttemptLeftPendingByACrashIsFailedAfterItsLease() {
        rows.update("insert into journeys (consumer_id, id, oa_id, phone, token_type, status, created_at, updated_at) values "
                + "('00000000-0000-7000-8000-000000000001', '0190a0a0-0000-7000-8000-00000000dead', 3041812345605770721, '84912345678', 'token_logistics_7', 'PENDING', "
                + "now() - interval '10 minutes', now() - interval '10 minutes')");
        rows.update("insert into journeys (consumer_id, id, oa_id, phone, token_type, status, created_at, updated_at) values "
                + "('00000000-0000-7000-8000-000000000001', '0190a0a0-0000-7000-8000-00000000beef', 3041812345605770721, '84912345678', 'token_logistics_7', 'PENDING', "
                + "now(), now())");

        assertThat(abandoned.sweep().await().atMost(java.time.Duration.ofSeconds(5))).isEqualTo(1);

        consumer().get("/v1/journeys/0190a0a0-0000-7000-8000-00000000dead").then().statusCode(200)
                .body("status", equalTo("FAILED"));
        assertThat(rows.one("select failure_kind, error_message from journeys where id = '0190a0a0-0000-7000-8000-00000000dead'"))
                .containsEntry("failure_kind", "ABANDONED").containsEntry("error_message", AbandonedJourneys.REASON);
        assertThat(rows.count("journeys where status = 'PENDING'")).as("an attempt within its lease is left alone").isEqualTo(1);
    }

    /** eTelecom answers after the attempt was given up: the late token does not bring the attempt back. */
    @Test
    void aLateAnswerDoesNotOverwriteAnAttemptGivenUp() throws Exception {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(CREATED).withFixedDelay(1_000)));
        java.util.concurrent.CompletableFuture<io.restassured.response.Response> request = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys"));
        // Given up while eTelecom still holds the call (it answers 1 s after it).
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(1)).pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> rows.count("journeys where status = 'PENDING'") > 0);
        rows.update("update journeys set status = 'FAILED', failure_kind = 'ABANDONED', error_code = 'abandoned' where status = 'PENDING'");

        request.get(10, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(rows.one("select status, journey_token from journeys"))
                .containsEntry("status", "FAILED").containsEntry("journey_token", null);
    }

    @Test
    void aTokenPastItsExpiryReadsAsExpiredAndIsListedSo() {
        etelecomAnswers(CREATED);
        String id = consumer().body(body(OA_ID, PHONE, null)).post("/v1/journeys").then().statusCode(201).extract().path("id");
        String live = consumer().body(body(OA_ID, "0912345679", null)).post("/v1/journeys").then().statusCode(201)
                .extract().path("id");
        rows.update("update journeys set expires_at = now() - interval '1 minute' where id = ?::uuid", id);
        rows.update("update journeys set expires_at = now() + interval '1 day' where id = ?::uuid", live);

        consumer().get("/v1/journeys/" + id).then().statusCode(200).body("status", equalTo("EXPIRED"));
        consumer().get("/v1/journeys?status=EXPIRED").then().statusCode(200).body("items.id", contains(id));
        consumer().get("/v1/journeys?status=NEW").then().statusCode(200).body("items.id", contains(live));

        // A receipt finalises it as before: the stored status moves, and that is what reads.
        rows.update("update journeys set status = 'TIMED_OUT' where id = ?::uuid", id);
        consumer().get("/v1/journeys/" + id).then().statusCode(200).body("status", equalTo("TIMED_OUT"));
    }

    // --- reading --------------------------------------------------------------------------------

    @ParameterizedTest
    @CsvSource({ "0190a0a0-0000-7000-8000-000000000001", "not-a-uuid", "1" })
    void anUnknownJourneyIs404(String id) {
        consumer().get("/v1/journeys/" + id).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:not-found"));
    }

    @Test
    void listsNewestFirstWithFiltersAndCursors() {
        etelecomAnswers(CREATED);
        List<String> ids = new ArrayList<>();
        for (String phone : List.of("0912000001", "0912000002", "0912000003", "0912000004", "0912000005")) {
            ids.add(consumer().body(body(OA_ID, phone, null)).post("/v1/journeys").then().statusCode(201)
                    .extract().path("id"));
        }
        etelecomAnswers("{\"error_code\": 9, \"error_message\": \"no\"}");
        String failed = consumer().body(body("1234", "0912000006", null)).post("/v1/journeys").then().statusCode(422)
                .extract().path("instance");

        Response firstPage = consumer().queryParam("oa_id", OA_ID).queryParam("limit", 2).get("/v1/journeys")
                .then().statusCode(200).body("items", hasSize(2)).extract().response();
        assertThat(firstPage.<List<String>>path("items.id")).containsExactly(ids.get(4), ids.get(3));
        String cursor = firstPage.path("next_cursor");

        Response secondPage = consumer().queryParam("oa_id", OA_ID).queryParam("limit", 2).queryParam("cursor", cursor)
                .get("/v1/journeys").then().statusCode(200).extract().response();
        assertThat(secondPage.<List<String>>path("items.id")).containsExactly(ids.get(2), ids.get(1));

        Response lastPage = consumer().queryParam("oa_id", OA_ID).queryParam("limit", 2)
                .queryParam("cursor", secondPage.<String>path("next_cursor")).get("/v1/journeys")
                .then().statusCode(200).body("next_cursor", nullValue()).extract().response();
        assertThat(lastPage.<List<String>>path("items.id")).containsExactly(ids.get(0));

        consumer().queryParam("phone", "+84912000003").get("/v1/journeys").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains(ids.get(2)));
        consumer().queryParam("status", "FAILED").get("/v1/journeys").then().statusCode(200)
                .body("items.id", org.hamcrest.Matchers.contains(failed.substring("/v1/journeys/".length())));
        consumer().get("/v1/journeys").then().statusCode(200).body("items", hasSize(6)).body("next_cursor", nullValue());
    }

    @Test
    void rejectsBadListParametersAllAtOnce() {
        consumer().queryParam("oa_id", "x").queryParam("phone", "1").queryParam("status", "DONE")
                .queryParam("limit", "0").queryParam("cursor", "%%%")
                .get("/v1/journeys").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("oa_id", "phone", "status", "limit", "cursor"));
        consumer().queryParam("limit", "201").get("/v1/journeys").then().statusCode(400)
                .body("violations[0].field", equalTo("limit"));
        consumer().queryParam("limit", "abc").get("/v1/journeys").then().statusCode(400)
                .body("violations[0].field", equalTo("limit"));
    }
}
