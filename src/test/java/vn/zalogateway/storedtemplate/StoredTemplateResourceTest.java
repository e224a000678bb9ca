package vn.zalogateway.storedtemplate;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import vn.zalogateway.common.auth.ConsumerIdentity;
import vn.zalogateway.message.MessageIntake;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.StoredTemplates;
import vn.zalogateway.support.TestKeys;

/**
 * Stored templates through the API, against the real database: saved, versioned, listed, kept per consumer, and used
 * by messages (the latest version or a numbered one), with every refusal a consumer can meet.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class StoredTemplateResourceTest {

    @InjectEsms
    WireMockServer esms;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    MessageIntake intake;

    Rows rows;
    /** Each test its own names: versions are kept in memory by name, and nothing ever deletes a template. */
    String name;

    @BeforeEach
    void setUp() {
        rows = new Rows(dataSource);
        name = "order-status-" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
        esms.resetAll();
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"CodeResult\": \"100\", \"SMSID\": \"sms-{{jsonPath request.body '$.RequestId'}}\"}")
                .withTransformers("response-template")));
    }

    static RequestSpecification consumer() {
        return TestKeys.consumer();
    }

    /** The contract's order-status template under this test's name, its status up to 30 characters. */
    ObjectNode template(String header) {
        return StoredTemplates.orderStatus(name, header, 30);
    }

    ObjectNode template() {
        return template("Đơn hàng {{order_code}}");
    }

    /** A message of the default consumer naming the template; version null: the latest. */
    ObjectNode message(Integer version, Map<String, String> data) {
        ObjectNode body = Messages.JSON.createObjectNode().put("oa_id", Messages.OA_ID).put("user_id", Messages.USER_ID);
        ObjectNode template = body.putObject("template").put("name", name);
        if (version != null) {
            template.put("version", version);
        }
        ObjectNode values = template.putObject("data");
        data.forEach(values::put);
        return body;
    }

    static Map<String, String> data() {
        return Map.of("order_code", "DH-001", "status", "Đang giao");
    }

    void save() {
        consumer().body(template().toString()).post("/v1/templates").then().statusCode(201);
    }

    // --- save, version, read, list ------------------------------------------------------------------

    @Test
    void savesVersionOneAndReadsItBack() {
        consumer().body(template().toString()).post("/v1/templates")
                .then().statusCode(201)
                .header("Location", endsWith("/v1/templates/" + name + "/versions/1"))
                .body("name", equalTo(name))
                .body("version", equalTo(1))
                .body("template_type", equalTo("transaction_order"))
                .body("language", equalTo("VI"))
                .body("elements[0].content", equalTo("Đơn hàng {{order_code}}"))
                .body("buttons[0].payload.url", equalTo("https://shop.vn/orders/{{order_code}}"))
                .body("placeholders.order_code.max_length", equalTo(20))
                .body("placeholders.status.max_length", equalTo(30))
                .body("created_at", not(nullValue()));

        consumer().get("/v1/templates/" + name).then().statusCode(200)
                .body("version", equalTo(1)).body("elements[1].content[0].value", equalTo("{{order_code}}"));
        consumer().get("/v1/templates?limit=200").then().statusCode(200).body("items.name", hasItem(name));
        Map<String, Object> stored = rows.one("select t.latest_version, v.version, v.placeholders from stored_templates t "
                + "join stored_template_versions v on v.template_id = t.id where t.name = ?", name);
        assertThat(stored).containsEntry("latest_version", 1).containsEntry("version", 1);
        assertThat(stored.get("placeholders").toString()).contains("\"order_code\":{\"max_length\":20}");
    }

    @Test
    void aSecondTemplateOfTheSameNameIsAConflict() {
        save();
        consumer().body(template().toString()).post("/v1/templates")
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:template-exists"))
                .body("violations[0].field", equalTo("name"));
    }

    @Test
    void putMakesANewVersionAndTheOldOnesStayReadable() {
        save();
        ObjectNode second = template("Cập nhật đơn {{order_code}}");
        second.remove("name");
        consumer().body(second.toString()).put("/v1/templates/" + name)
                .then().statusCode(201)
                .header("Location", endsWith("/v1/templates/" + name + "/versions/2"))
                .body("version", equalTo(2)).body("elements[0].content", equalTo("Cập nhật đơn {{order_code}}"));

        consumer().get("/v1/templates/" + name).then().statusCode(200).body("version", equalTo(2));
        consumer().get("/v1/templates/" + name + "/versions").then().statusCode(200)
                .body("items.version", contains(2, 1)).body("next_cursor", nullValue());
        String cursor = consumer().get("/v1/templates/" + name + "/versions?limit=1").then().statusCode(200)
                .body("items.version", contains(2)).extract().path("next_cursor");
        consumer().get("/v1/templates/" + name + "/versions?limit=1&cursor=" + cursor).then().statusCode(200)
                .body("items.version", contains(1)).body("next_cursor", nullValue());
        consumer().get("/v1/templates/" + name + "/versions/1").then().statusCode(200)
                .body("version", equalTo(1)).body("elements[0].content", equalTo("Đơn hàng {{order_code}}"));
        consumer().get("/v1/templates/" + name + "/versions/3").then().statusCode(404);
        consumer().get("/v1/templates/" + name + "/versions/x").then().statusCode(404);
        // the list shows each template once, at its latest
        consumer().get("/v1/templates?limit=200").then().statusCode(200)
                .body("items.findAll { it.name == '" + name + "' }.version", contains(2));
    }

    @Test
    void aNameInAPutBodyMustBeThePathsAndAnUnknownTemplateIsNotFound() {
        save();
        consumer().body(template().put("name", "other").toString()).put("/v1/templates/" + name)
                .then().statusCode(400).body("violations.field", contains("name"));
        ObjectNode unnamed = template();
        unnamed.remove("name");
        consumer().body(unnamed.toString()).put("/v1/templates/no-such-" + name)
                .then().statusCode(404).contentType("application/problem+json");
        consumer().get("/v1/templates/no-such-" + name).then().statusCode(404);
        consumer().get("/v1/templates/no-such-" + name + "/versions").then().statusCode(404);
        consumer().get("/v1/templates/Not%20A%20Name").then().statusCode(404);
    }

    @Test
    void refusesBadPlaceholdersAndATemplateThatBreaksARuleAtItsLongest() {
        consumer().body(template("Đơn hàng {{Order Code}}").toString()).post("/v1/templates")
                .then().statusCode(400)
                .body("violations.field", contains("elements[0].content"))
                .body("violations[0].message", containsString("{{Order Code}} is not a placeholder"));

        ObjectNode undeclared = template("Đơn hàng {{order_code}} {{shop}}");
        consumer().body(undeclared.toString()).post("/v1/templates")
                .then().statusCode(400)
                .body("violations.field", contains("elements[0].content"))
                .body("violations[0].message", containsString("{{shop}}"));

        ObjectNode badDeclaration = template();
        ((ObjectNode) badDeclaration.get("placeholders")).putObject("Bad-Name").put("max_length", 3);
        consumer().body(badDeclaration.toString()).post("/v1/templates")
                .then().statusCode(400).body("violations.field", hasItem("placeholders.Bad-Name"));

        // 'Đơn hàng ' (9) + order_code at 92 = 101: over the header's 100, though any shorter code would fit
        ObjectNode tooLong = template();
        ((ObjectNode) tooLong.at("/placeholders/order_code")).put("max_length", 92);
        consumer().body(tooLong.toString()).post("/v1/templates")
                .then().statusCode(400)
                .body("violations.field", contains("elements[0].content"))
                .body("violations[0].message", containsString("at most 100 characters (has 101)"))
                .body("violations[0].message", containsString("{{order_code}} at its longest, 92"));

        ObjectNode notATemplate = template();
        notATemplate.remove("elements");
        notATemplate.put("user_id", Messages.USER_ID);
        consumer().body(notATemplate.toString()).post("/v1/templates")
                .then().statusCode(400).body("violations.field", hasItem("user_id")).body("violations.field", hasItem("elements"));
        assertThat(rows.query("select 1 from stored_templates where name = ?", name)).isEmpty();
    }

    // --- per consumer --------------------------------------------------------------------------------

    @Test
    void templatesArePerConsumer() {
        save();
        Consumers.Made other = Consumers.make("templates", List.of("*"), null);
        TestKeys.withKey(other.apiKey()).get("/v1/templates/" + name).then().statusCode(404);
        TestKeys.withKey(other.apiKey()).get("/v1/templates/" + name + "/versions/1").then().statusCode(404);
        TestKeys.withKey(other.apiKey()).body(template().toString()).put("/v1/templates/" + name).then().statusCode(404);
        TestKeys.withKey(other.apiKey()).get("/v1/templates").then().statusCode(200).body("items", hasSize(0));
        TestKeys.withKey(other.apiKey()).body(message(null, data()).toString()).post("/v1/messages")
                .then().statusCode(400).body("violations.field", contains("template.name"));

        // the same name is the other consumer's own, unrelated template
        TestKeys.withKey(other.apiKey()).body(template("Khác {{order_code}}").toString()).post("/v1/templates")
                .then().statusCode(201).body("version", equalTo(1));
        consumer().get("/v1/templates/" + name).then().statusCode(200).body("elements[0].content", equalTo("Đơn hàng {{order_code}}"));
    }

    // --- messages made from a template ---------------------------------------------------------------

    @Test
    void aMessageUsesTheLatestVersionOrTheOneItNames() {
        save();
        ObjectNode second = template("Cập nhật đơn {{order_code}}");
        consumer().body(second.toString()).put("/v1/templates/" + name).then().statusCode(201);

        String latest = consumer().body(message(null, data()).toString()).post("/v1/messages")
                .then().statusCode(202)
                .body("template.name", equalTo(name))
                .body("template.version", equalTo(2))
                .body("template_type", equalTo("transaction_order"))
                .extract().path("id");
        String first = consumer().body(message(1, data()).toString()).post("/v1/messages")
                .then().statusCode(202)
                .body("template.version", equalTo(1))
                .extract().path("id");

        Map<String, Object> row = rows.one("select stored_template_name, stored_template_version, zalo_payload from messages where id = ?",
                UUID.fromString(latest));
        assertThat(row).containsEntry("stored_template_name", name).containsEntry("stored_template_version", 2);
        JsonNode payload = read((String) row.get("zalo_payload"));
        assertThat(payload.at("/elements/0/content").asText()).isEqualTo("Cập nhật đơn DH-001");
        assertThat(payload.at("/elements/1/content/0/value").asText()).isEqualTo("DH-001");
        assertThat(payload.at("/elements/1/content/1/value").asText()).isEqualTo("Đang giao");
        assertThat(payload.at("/buttons/0/payload/url").asText()).isEqualTo("https://shop.vn/orders/DH-001");

        Map<String, Object> old = rows.one("select stored_template_version, zalo_payload from messages where id = ?", UUID.fromString(first));
        assertThat(old).containsEntry("stored_template_version", 1);
        assertThat(read((String) old.get("zalo_payload")).at("/elements/0/content").asText()).isEqualTo("Đơn hàng DH-001");

        consumer().get("/v1/messages/" + first).then().statusCode(200)
                .body("template.name", equalTo(name)).body("template.version", equalTo(1));
        // a message written in full names no template
        String plain = Messages.send(Messages.message());
        consumer().get("/v1/messages/" + plain).then().statusCode(200).body("template", nullValue());
    }

    @Test
    void aPutIsUsedAtOnceByTheReplicaThatTookIt() {
        save();
        consumer().body(message(null, data()).toString()).post("/v1/messages/validate").then().statusCode(200); // latest cached
        consumer().body(template("Mới {{order_code}}").toString()).put("/v1/templates/" + name).then().statusCode(201);
        consumer().body(message(null, data()).toString()).post("/v1/messages").then().statusCode(202)
                .body("template.version", equalTo(2));
    }

    @Test
    void anUnknownVersionOrTemplateIsABadRequest() {
        save();
        consumer().body(message(4, data()).toString()).post("/v1/messages")
                .then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", contains("template.version"))
                .body("violations[0].message", containsString("versions are 1 to 1"));
        ObjectNode unknown = message(null, data());
        ((ObjectNode) unknown.get("template")).put("name", "nothing-" + name);
        consumer().body(unknown.toString()).post("/v1/messages")
                .then().statusCode(400).body("violations.field", contains("template.name"));
        ObjectNode zero = message(0, data());
        consumer().body(zero.toString()).post("/v1/messages")
                .then().statusCode(400).body("violations.field", contains("template.version"));
    }

    @Test
    void missingUnknownOrTooLongDataIsRefusedNamingThePlaceholder() {
        save();
        consumer().body(message(null, Map.of("order_code", "DH-001")).toString()).post("/v1/messages")
                .then().statusCode(400).body("violations.field", contains("template.data.status"))
                .body("violations[0].message", equalTo("is required"));
        consumer().body(message(null, Map.of("order_code", "DH-001", "status", "x", "colour", "red")).toString())
                .post("/v1/messages")
                .then().statusCode(400).body("violations.field", contains("template.data.colour"));
        consumer().body(message(null, Map.of("order_code", "D".repeat(21), "status", "x")).toString()).post("/v1/messages")
                .then().statusCode(400).body("violations.field", contains("template.data.order_code"))
                .body("violations[0].message", equalTo("must be at most 20 characters (has 21)"));
        // every violation at once: the data's and the rest of the body's
        ObjectNode noUser = message(null, Map.of("order_code", "DH-001"));
        noUser.remove("user_id");
        consumer().body(noUser.toString()).post("/v1/messages")
                .then().statusCode(400).body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("template.data.status", "user_id"));
        assertThat(rows.query("select 1 from messages where stored_template_name = ?", name)).isEmpty();
    }

    @Test
    void aFilledMessageIsCheckedAgainWithEveryRule() {
        ObjectNode blankable = template("{{order_code}}");
        consumer().body(blankable.toString()).post("/v1/templates").then().statusCode(201);
        consumer().body(message(null, Map.of("order_code", "   ", "status", "x")).toString()).post("/v1/messages")
                .then().statusCode(400)
                .body("violations.field", hasItem("template.elements[0].content"))
                .body("violations.find { it.field == 'template.elements[0].content' }.message", containsString("must not be blank"))
                .body("violations.find { it.field == 'template.elements[0].content' }.message",
                        containsString("(filled from template.data.order_code)"));
        // a value that breaks the button's URL
        consumer().body(message(null, Map.of("order_code", "a b", "status", "x")).toString()).post("/v1/messages")
                .then().statusCode(400).body("violations.field", contains("template.buttons[0].payload.url"));
    }

    @Test
    void aMessageNamesATemplateOrCarriesOneNeverBoth() {
        save();
        ObjectNode both = message(null, data());
        both.put("template_type", "transaction_order");
        both.set("elements", Messages.message().get("elements"));
        consumer().body(both.toString()).post("/v1/messages")
                .then().statusCode(400)
                .body("violations.field", org.hamcrest.Matchers.containsInAnyOrder("template_type", "elements"));
        ObjectNode journey = message(null, data()).put("kind", "zns_journey");
        consumer().body(journey.toString()).post("/v1/messages").then().statusCode(400).body("violations.field", hasItem("template"));
        ObjectNode stray = message(null, data());
        ((ObjectNode) stray.get("template")).put("id", 3);
        consumer().body(stray.toString()).post("/v1/messages").then().statusCode(400).body("violations.field", contains("template.id"));
    }

    @Test
    void aBatchReadsEachItemsTemplateThroughTheIntake() {
        save();
        List<JsonNode> bodies = List.of(message(null, data()), message(null, Map.of("order_code", "DH-002")), Messages.message());
        List<MessageIntake.Item> items = intake.readAll(bodies, ConsumerIdentity.DEFAULT).await().indefinitely();
        assertThat(items).extracting(MessageIntake.Item::valid).containsExactly(true, false, true);
        assertThat(items.get(0).message().storedTemplateName()).isEqualTo(name);
        assertThat(items.get(0).message().storedTemplateVersion()).isEqualTo(1);
        assertThat(items.get(1).violations()).extracting(v -> v.field()).containsExactly("template.data.status");
        assertThat(items.get(2).message().storedTemplateName()).isNull();
    }

    static JsonNode read(String json) {
        try {
            return Messages.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
