package vn.zalogateway.znstemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static vn.zalogateway.support.StubAnswers.json;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/**
 * The ZNS template registry over real HTTP: eTelecom's GetTemplate and ListTemplates and eSMS's GetZnsTemplateInfo
 * stubbed by WireMock, templates kept in PostgreSQL. Both endpoints, each refusal of a zns_journey message at accept,
 * asking on a miss and not again within gateway.templates.refresh (PT1H), the unchecked message when no provider
 * answers and nothing is known, and a count of the statements and provider calls of the accept path. The gateway
 * remembers templates per OA, so every test has OAs of its own.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ZnsTemplateTest {

    static final String GET_TEMPLATE = EtelecomStub.BASE_PATH + "/GetTemplate";
    static final String LIST_TEMPLATES = EtelecomStub.BASE_PATH + "/ListTemplates";
    static final String TEMPLATE_INFO = EsmsStub.BASE_PATH + "/GetZnsTemplateInfo";

    @InjectWireMock
    WireMockServer etelecom;

    @InjectEsms
    WireMockServer esms;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @Inject
    ZnsTemplates templates;

    Rows rows;
    String oa;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        etelecom.resetAll();
        esms.resetAll();
        circuitBreakers.resetAll();
        oa = newOa();
    }

    static String newOa() {
        return Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000_000_000_000L, Long.MAX_VALUE));
    }

    /** WireMock's equality (hamcrest's equalTo is the one imported). */
    static com.github.tomakehurst.wiremock.matching.StringValuePattern is(String value) {
        return com.github.tomakehurst.wiremock.client.WireMock.equalTo(value);
    }


    /** eTelecom's template object (its public docs): a delivery template with a string, a number and a date. */
    static String etelecomTemplate(long id, String status) {
        return """
                {"template_id": "%d", "template_name": "Delivery update",
                 "template_params": [
                   {"name": "order_code", "type": "STRING", "require": true, "accept_null": false, "min_length": 3, "max_length": 10},
                   {"name": "weight_kg", "type": "NUMBER", "require": true, "accept_null": false, "min_length": 1, "max_length": 6},
                   {"name": "delivered_on", "type": "DATE", "require": false, "accept_null": true, "min_length": 10, "max_length": 10}],
                 "template_status": "%s", "template_quality": "HIGH", "template_tag": "IN_TRANSACTION",
                 "apply_template_quota": true, "template_daily_quota": 500, "template_remaining_quota": 480,
                 "price": 300, "timeout": 7200000}""".formatted(id, status);
    }

    void etelecomHas(long id, String status) {
        etelecom.stubFor(post(urlEqualTo(GET_TEMPLATE))
                .withRequestBody(equalToJson("{\"oa_id\": \"" + oa + "\", \"template_id\": " + id + "}"))
                .withHeader("Authorization", is("Bearer " + EtelecomStub.API_KEY))
                .willReturn(json(etelecomTemplate(id, status))));
    }

    long etelecomCalls(String path) {
        return etelecom.findAll(postRequestedFor(urlEqualTo(path))).size();
    }

    long esmsCalls() {
        return esms.findAll(getRequestedFor(urlPathEqualTo(TEMPLATE_INFO))).size();
    }

    ObjectNode message(long templateId, String templateData) {
        ObjectNode body = Messages.journeyMessage().put("oa_id", oa).put("template_id", templateId);
        try {
            body.set("template_data", new com.fasterxml.jackson.databind.ObjectMapper().readTree(templateData));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
        return body;
    }

    static final String FITTING = "{\"order_code\": \"DH-001\", \"weight_kg\": 2.5, \"delivered_on\": \"23/11/2026\"}";

    JsonPath accepted(ObjectNode body) {
        return TestKeys.consumer().body(body.toString()).post("/v1/messages").then().statusCode(202).extract().jsonPath();
    }

    // --- Endpoints ------------------------------------------------------------------------------------

    @Test
    void oneTemplateIsAskedOfEtelecomOnceAndShownAsTheContractSays() {
        etelecomHas(231456, "ENABLE");

        for (int i = 0; i < 3; i++) {
            TestKeys.consumer().get("/v1/oas/" + oa + "/templates/231456").then().statusCode(200)
                    .body("template_id", equalTo(231456)).body("name", equalTo("Delivery update"))
                    .body("status", equalTo("ENABLE")).body("quality", equalTo("HIGH")).body("tag", equalTo("IN_TRANSACTION"))
                    .body("params.name", contains("order_code", "weight_kg", "delivered_on"))
                    .body("params.type", contains("STRING", "NUMBER", "DATE"))
                    .body("params.required", contains(true, true, false))
                    .body("params.min_length", contains(3, 1, 10)).body("params.max_length", contains(10, 6, 10))
                    .body("daily_quota", equalTo(500)).body("remaining_quota", equalTo(480))
                    .body("checked_at", notNullValue());
        }
        assertThat(etelecomCalls(GET_TEMPLATE)).as("asked once, then served as kept").isEqualTo(1);
        assertThat(rows.one("select status, source, params::jsonb -> 1 ->> 'type' as second, checked_at > now() - interval '1 minute' as recent "
                + "from zns_templates where oa_id = ?::bigint and template_id = 231456", oa))
                .containsEntry("status", "ENABLE").containsEntry("source", "etelecom").containsEntry("second", "NUMBER")
                .containsEntry("recent", true);
    }

    @Test
    void theListIsEtelecomsListTemplatesPageAfterPageAndNotAskedAgainWithinTheRefresh() {
        etelecom.stubFor(post(urlEqualTo(LIST_TEMPLATES)).withRequestBody(equalToJson(
                "{\"filter\": {\"oa_id\": \"" + oa + "\"}, \"paging\": {\"limit\": 100}}"))
                .willReturn(json("{\"templates\": [" + etelecomTemplate(11, "ENABLE") + "], \"paging\": {\"next\": \"p2\"}}")));
        etelecom.stubFor(post(urlEqualTo(LIST_TEMPLATES)).withRequestBody(equalToJson(
                "{\"filter\": {\"oa_id\": \"" + oa + "\"}, \"paging\": {\"after\": \"p2\", \"limit\": 100}}"))
                .willReturn(json("{\"templates\": [" + etelecomTemplate(12, "REJECT") + "], \"paging\": {}}")));

        for (int i = 0; i < 2; i++) {
            TestKeys.consumer().get("/v1/oas/" + oa + "/templates").then().statusCode(200)
                    .body("$", hasSize(2)).body("template_id", contains(11, 12)).body("status", contains("ENABLE", "REJECT"))
                    .body("[0].params", hasSize(3));
        }
        assertThat(etelecomCalls(LIST_TEMPLATES)).as("two pages, once").isEqualTo(2);
        // The list filled the registry: a message with template 11 is checked without another question.
        JsonPath message = accepted(message(11, FITTING));
        assertThat(message.getBoolean("template_checked")).isTrue();
        assertThat(etelecomCalls(GET_TEMPLATE)).isZero();
    }

    @Test
    void aConsumersOwnOasOnly() {
        etelecomHas(231456, "ENABLE");
        Consumers.Made other = Consumers.make("templates", List.of(newOa()), null);

        TestKeys.withKey(other.apiKey()).get("/v1/oas/" + oa + "/templates/231456").then().statusCode(404);
        TestKeys.withKey(other.apiKey()).get("/v1/oas/" + oa + "/templates").then().statusCode(404);
        assertThat(etelecomCalls(GET_TEMPLATE) + etelecomCalls(LIST_TEMPLATES)).as("no provider asked for a stranger's OA").isZero();
    }

    @Test
    void whenEtelecomCannotAnswerEsmsIsAsked() {
        etelecom.stubFor(post(urlEqualTo(GET_TEMPLATE)).willReturn(aResponse().withStatus(503)));
        esms.stubFor(get(urlPathEqualTo(TEMPLATE_INFO))
                .withQueryParam("TemplateId", is("5551")).withQueryParam("OAId", is(oa))
                .withQueryParam("ApiKey", is(EsmsStub.API_KEY)).withQueryParam("SecretKey", is(EsmsStub.SECRET_KEY))
                .willReturn(json("""
                        {"CodeResult": "100", "ErrorMessage": "", "Data": {"TemplateId": "5551", "TemplateName": "OTP",
                         "Status": "ENABLE", "TemplateTag": "OTP", "Timeout": 300000, "ListButtons": [],
                         "ListParams": [{"Name": "otp", "Require": true, "Type": "NUMBER", "MaxLength": 8, "MinLength": 4, "AcceptNull": false}]}}""")));

        TestKeys.consumer().get("/v1/oas/" + oa + "/templates/5551").then().statusCode(200)
                .body("status", equalTo("ENABLE")).body("tag", equalTo("OTP")).body("quality", nullValue())
                .body("params[0].name", equalTo("otp")).body("params[0].type", equalTo("NUMBER"));
        assertThat(esmsCalls()).isEqualTo(1);
        assertThat(rows.one("select source from zns_templates where oa_id = ?::bigint", oa)).containsEntry("source", "esms");

        TestKeys.consumer().body(message(5551, "{\"otp\": \"12\"}").toString()).post("/v1/messages").then().statusCode(400)
                .body("violations.field", contains("template_data.otp"));
    }

    // --- Refusals at accept --------------------------------------------------------------------------

    @Test
    void anUnknownTemplateIsA400OnTemplateIdAndA404() {
        etelecom.stubFor(post(urlEqualTo(GET_TEMPLATE)).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json").withBody("{\"code\": \"not_found\", \"msg\": \"template not found\"}")));
        etelecom.stubFor(post(urlEqualTo(LIST_TEMPLATES))
                .withRequestBody(equalToJson("{\"filter\": {\"oa_id\": \"" + oa + "\", \"template_id\": 999}, \"paging\": {\"limit\": 100}}"))
                .willReturn(json("{\"templates\": [], \"paging\": {}}")));

        TestKeys.consumer().body(message(999, FITTING).toString()).post("/v1/messages").then().statusCode(400)
                .body("violations.field", contains("template_id"))
                .body("violations[0].message", equalTo("OA " + oa + " has no ZNS template 999"));
        TestKeys.consumer().get("/v1/oas/" + oa + "/templates/999").then().statusCode(404);
        assertThat(esmsCalls()).as("eTelecom's list answered: eSMS is not asked").isZero();
        assertThat(rows.one("select count(*) as n from messages where oa_id = ?::bigint", oa).get("n")).isEqualTo(0L);
    }

    @Test
    void aTemplateNotEnabledIsA422() {
        etelecomHas(231457, "REJECT");

        TestKeys.consumer().body(message(231457, FITTING).toString()).post("/v1/messages").then().statusCode(422)
                .body("type", equalTo("urn:zalo-gateway:problem:template-not-enabled"))
                .body("violations.field", contains("template_id"))
                .body("detail", org.hamcrest.Matchers.containsString("REJECT"));
        TestKeys.consumer().body(message(231457, FITTING).toString()).post("/v1/messages/validate").then().statusCode(422);
    }

    @Test
    void everyBrokenParameterIsListedInOne400() {
        etelecomHas(231456, "ENABLE");

        TestKeys.consumer().body(message(231456, """
                {"order_code": "DH-0000000001", "weight_kg": "heavy", "delivered_on": "2026-11-23", "colour": "red"}""").toString())
                .post("/v1/messages").then().statusCode(400)
                .body("violations.field", contains("template_data.order_code", "template_data.weight_kg",
                        "template_data.delivered_on", "template_data.colour"));
        TestKeys.consumer().body(message(231456, "{\"order_code\": \"DH\"}").toString())
                .post("/v1/messages").then().statusCode(400)
                .body("violations.field", containsInAnyOrder("template_data.order_code", "template_data.weight_kg"))
                .body("violations.message", containsInAnyOrder("must be at least 3 characters (it has 2)", "is required by template 231456"));

        JsonPath ok = accepted(message(231456, FITTING));
        assertThat(ok.getBoolean("template_checked")).isTrue();
        TestKeys.consumer().get("/v1/messages/" + ok.getString("id")).then().statusCode(200).body("template_checked", equalTo(true));
        assertThat(etelecomCalls(GET_TEMPLATE)).isEqualTo(1);
    }

    // --- When to ask ---------------------------------------------------------------------------------

    @Test
    void aMissAsksAndAReadingOlderThanTheRefreshIsAskedAgainButAYoungerOneIsNot() {
        // Kept by another replica 5 minutes ago: fresh. Kept 2 hours ago for another OA: stale (PT1H).
        String staleOa = newOa();
        insertKept(oa, 231456, "ENABLE", Duration.ofMinutes(5));
        insertKept(staleOa, 231456, "DISABLE", Duration.ofHours(2));
        etelecom.stubFor(post(urlEqualTo(GET_TEMPLATE))
                .withRequestBody(equalToJson("{\"oa_id\": \"" + staleOa + "\", \"template_id\": 231456}"))
                .willReturn(json(etelecomTemplate(231456, "ENABLE"))));

        assertThat(accepted(message(231456, FITTING)).getBoolean("template_checked")).isTrue();
        assertThat(etelecomCalls(GET_TEMPLATE)).as("a fresh reading in the database is not asked again").isZero();

        // The stale one said DISABLE; eTelecom now says ENABLE: asked, and the message goes.
        assertThat(accepted(message(231456, FITTING).put("oa_id", staleOa)).getBoolean("template_checked")).isTrue();
        assertThat(etelecomCalls(GET_TEMPLATE)).isEqualTo(1);
        assertThat(rows.one("select status, checked_at > now() - interval '1 minute' as recent from zns_templates "
                + "where oa_id = ?::bigint", staleOa)).containsEntry("status", "ENABLE").containsEntry("recent", true);

        // A miss (a template never seen) asks.
        etelecomHas(231460, "ENABLE");
        accepted(message(231460, FITTING));
        assertThat(etelecomCalls(GET_TEMPLATE)).isEqualTo(2);
    }

    void insertKept(String oaId, long templateId, String status, Duration ago) {
        rows.update("insert into zns_templates (oa_id, template_id, name, status, params, source, checked_at) values "
                + "(?::bigint, ?, 'kept', ?, ?, 'etelecom', now() - make_interval(secs => ?))", oaId, templateId, status,
                """
                [{"name": "order_code", "type": "STRING", "required": true, "accept_null": false, "min_length": 3, "max_length": 10},
                 {"name": "weight_kg", "type": "NUMBER", "required": true, "accept_null": false, "min_length": 1, "max_length": 6},
                 {"name": "delivered_on", "type": "DATE", "required": false, "accept_null": true, "min_length": 10, "max_length": 10}]""",
                (double) ago.toSeconds());
    }

    @Test
    void withNoProviderToAskAndNothingKeptTheMessageIsAcceptedUnchecked() {
        etelecom.stubFor(post(urlEqualTo(GET_TEMPLATE)).willReturn(aResponse().withStatus(503)));
        etelecom.stubFor(post(urlEqualTo(LIST_TEMPLATES)).willReturn(aResponse().withStatus(503)));
        esms.stubFor(get(urlPathEqualTo(TEMPLATE_INFO)).willReturn(aResponse().withStatus(503)));

        JsonPath message = accepted(message(231456, "{\"anything\": \"goes\"}"));
        assertThat(message.getBoolean("template_checked")).isFalse();
        TestKeys.consumer().get("/v1/messages/" + message.getString("id")).then().statusCode(200)
                .body("template_checked", equalTo(false));
        assertThat(rows.one("select template_checked from messages where id = ?::uuid", message.getString("id")))
                .containsEntry("template_checked", false);
        assertThat(esmsCalls()).as("eSMS was asked too").isEqualTo(1);
        TestKeys.consumer().get("/v1/oas/" + oa + "/templates/231456").then().statusCode(502);
    }

    @Test
    void aTransactionMessageIsNotAboutZnsTemplates() {
        String id = Messages.send(Messages.message().put("oa_id", oa));
        TestKeys.consumer().get("/v1/messages/" + id).then().statusCode(200).body("template_checked", nullValue());
        assertThat(etelecomCalls(GET_TEMPLATE) + esmsCalls()).isZero();
    }

    // --- The accept path's cost ----------------------------------------------------------------------

    /**
     * Once a template is known and fresh, a message is checked against it in memory: the store runs no statement (its
     * own count) and no provider is asked (the stubs' count), however many messages come.
     */
    @Test
    void aFreshTemplateCostsNoStatementAndNoProviderCallPerMessage() {
        etelecomHas(231456, "ENABLE");
        accepted(message(231456, FITTING));
        assertThat(etelecomCalls(GET_TEMPLATE)).isEqualTo(1);
        assertThat(rows.one("select count(*) as n from zns_templates where oa_id = ?::bigint", oa).get("n")).isEqualTo(1L);

        long statements = templates.statements();
        for (int i = 0; i < 25; i++) {
            accepted(message(231456, FITTING));
        }
        TestKeys.consumer().body(message(231456, "{\"order_code\": \"x\"}").toString()).post("/v1/messages").then().statusCode(400);
        TestKeys.consumer().get("/v1/oas/" + oa + "/templates/231456").then().statusCode(200);

        assertThat(templates.statements() - statements).as("statements of the template store").isZero();
        assertThat(etelecomCalls(GET_TEMPLATE) + etelecomCalls(LIST_TEMPLATES)).as("eTelecom calls").isEqualTo(1);
        assertThat(esmsCalls()).as("eSMS calls").isZero();
        assertThat(rows.one("select count(*) as n from messages where oa_id = ?::bigint and template_checked", oa).get("n"))
                .isEqualTo(26L);
        assertThat(OffsetDateTime.parse(TestKeys.consumer().get("/v1/oas/" + oa + "/templates/231456").then().extract()
                .path("checked_at"))).isCloseTo(OffsetDateTime.now(), org.assertj.core.api.Assertions.within(1, ChronoUnit.MINUTES));
    }
}
