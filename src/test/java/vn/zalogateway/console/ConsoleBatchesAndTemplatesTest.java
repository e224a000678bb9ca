package vn.zalogateway.console;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import vn.zalogateway.support.ConsoleSignIn;
import vn.zalogateway.support.ConsoleSignIn.Browser;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.StoredTemplates;
import vn.zalogateway.support.TestKeys;

/**
 * The console's batches, stored templates and ZNS templates over HTTP, with data made through the API by two
 * consumers of their own: what each page shows, what a viewer may not do and an admin may (with the form token), and
 * that a page narrowed to one consumer shows nothing of another's. Another consumer's template under this one's id is
 * not found; ids that cannot be are 404 pages, never a 500.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ConsoleBatchesAndTemplatesTest {

    /** As a browser posts a form: UTF-8 (RestAssured would encode ISO-8859-1 otherwise). */
    static final String FORM = "application/x-www-form-urlencoded; charset=UTF-8";

    @InjectWireMock
    WireMockServer etelecom;

    @Inject
    AgroalDataSource dataSource;

    Rows rows;
    Browser viewer;
    Browser admin;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("console_sign_in_attempts");
        etelecom.resetAll();
        viewer = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        admin = ConsoleSignIn.as(ConsoleSignIn.ADMIN, ConsoleSignIn.ADMIN_PASSWORD);
    }

    /** A batch of the consumer: {@code scheduled} messages due in two hours, and one invalid item. */
    static JsonPath batch(Consumers.Made consumer, String oa, int scheduled, String ext) {
        ObjectNode body = Messages.JSON.createObjectNode().put("ext", ext);
        ArrayNode messages = body.putArray("messages");
        for (int i = 0; i < scheduled; i++) {
            messages.add(Messages.message().put("oa_id", oa).put("ext", ext + "-" + i).put("send_at", Messages.inVietnam(Duration.ofHours(2))));
        }
        messages.add(Messages.message().put("oa_id", oa).put("template_type", "not-a-type"));
        return TestKeys.withKey(consumer.apiKey()).body(body.toString()).post("/v1/batches").then().statusCode(202).extract().jsonPath();
    }

    static String page(Browser browser, String path, int status) {
        return browser.request().get(path).then().statusCode(status).extract().asString();
    }

    @Test
    void batchesAreListedPerConsumerWithTheirProgressAndAnAdminCancelsOne() {
        String oaA = EtelecomStub.newOa();
        String oaB = EtelecomStub.newOa();
        Consumers.Made a = Consumers.make("console-a", List.of(oaA), null);
        Consumers.Made b = Consumers.make("console-b", List.of(oaB), null);
        String batchA = batch(a, oaA, 3, "campaign-a").getString("id");
        String batchB = batch(b, oaB, 1, "campaign-b").getString("id");

        String ofA = page(viewer, "/console/batches?consumer=" + a.name(), 200);
        assertThat(ofA).contains("/console/batches/" + batchA, "campaign-a", "0/3").doesNotContain(batchB, "campaign-b");
        assertThat(page(viewer, "/console/batches", 200)).contains(batchA, batchB);
        assertThat(page(viewer, "/console/batches?consumer=nobody-at-all", 200)).contains("id=\"search-problem\"", "nobody-at-all: no such consumer")
                .doesNotContain(batchA);
        assertThat(page(viewer, "/console/batches?before=not-an-id", 200)).contains(batchA);

        String batchPage = page(viewer, "/console/batches/" + batchA, 200);
        assertThat(batchPage).contains("<td data-status=\"SCHEDULED\">3</td>", "<td data-status=\"DELIVERED\">0</td>",
                "id=\"batch-done\">0/3</strong>", "<progress id=\"batch-progress\" max=\"3\" value=\"0\">",
                "href=\"/console/messages?batch=" + batchA + "\"", a.name(), "id=\"batch-rejected\">1</dd>")
                .doesNotContain("/cancel");

        // the messages search narrowed to the batch: its three messages, none of the other batch's
        String messages = page(viewer, "/console/messages?batch=" + batchA, 200);
        assertThat(messages.split("<a href=\"/console/messages/", -1)).hasSize(4);
        assertThat(messages).contains("campaign-a-0", "campaign-a-2").doesNotContain("campaign-b");
        assertThat(page(viewer, "/console/messages?batch=42", 200)).contains("batch: not an id (a UUID)");

        // a message shows its batch
        String messageId = rows.one("select id::text as id from messages where batch_id = ?::uuid limit 1", batchA).get("id").toString();
        assertThat(page(viewer, "/console/messages/" + messageId, 200)).contains("id=\"message-batch\" href=\"/console/batches/" + batchA + "\"");

        String cancel = "/console/batches/" + batchA + "/cancel";
        viewer.request().contentType(FORM).formParam("csrf-token", viewer.token()).post(cancel)
                .then().statusCode(403);
        assertThat(page(admin, "/console/batches/" + batchA, 200)).contains("action=\"" + cancel + "\"");
        admin.request().contentType(FORM).post(cancel).then().statusCode(403);
        assertThat(rows.one("select count(*) as n from messages where batch_id = ?::uuid and status = 'CANCELLED'", batchA))
                .isEqualTo(Map.of("n", 0L));
        admin.request().contentType(FORM).formParam("csrf-token", admin.token()).post(cancel)
                .then().statusCode(303).header("Location", endsWith("/console/batches/" + batchA + "?cancelled=3"));
        assertThat(rows.one("select count(*) as n from messages where batch_id = ?::uuid and status = 'CANCELLED'", batchA))
                .isEqualTo(Map.of("n", 3L));
        assertThat(rows.one("select status from messages where batch_id = ?::uuid", batchB)).isEqualTo(Map.of("status", "SCHEDULED"));
        String cancelled = page(admin, "/console/batches/" + batchA + "?cancelled=3", 200);
        assertThat(cancelled).contains("id=\"cancelled\"", "<td data-status=\"CANCELLED\">3</td>", "id=\"batch-done\">3/3</strong>")
                .doesNotContain("action=\"" + cancel + "\"");

        // ids that cannot be, and batches that do not exist: the console's 404 page
        for (String missing : List.of("/console/batches/not-a-uuid", "/console/batches/" + java.util.UUID.randomUUID(),
                "/console/batches/" + batchA + "0")) {
            assertThat(page(viewer, missing, 404)).contains("id=\"operator\"");
        }
        admin.request().contentType(FORM).formParam("csrf-token", admin.token())
                .post("/console/batches/" + java.util.UUID.randomUUID() + "/cancel").then().statusCode(404);
    }

    @Test
    void storedTemplatesShowTheirCardWithSampleDataAndOnlyAnAdminSavesANewVersion() {
        Consumers.Made a = Consumers.make("console-ta", List.of(Messages.OA_ID), null);
        Consumers.Made b = Consumers.make("console-tb", List.of(Messages.OA_ID), null);
        TestKeys.withKey(a.apiKey()).body(StoredTemplates.orderStatus("order-status", "Đơn {{order_code}}").toString()).post("/v1/templates").then().statusCode(201);
        TestKeys.withKey(b.apiKey()).body(StoredTemplates.orderStatus("b-only", "Đơn {{order_code}}").toString()).post("/v1/templates").then().statusCode(201);

        String list = page(viewer, "/console/templates?consumer=" + a.name(), 200);
        assertThat(list).contains("/console/templates/" + a.id() + "/order-status").doesNotContain("b-only", "id=\"new-template\"");
        assertThat(page(viewer, "/console/templates?consumer=nobody-at-all", 200)).contains("nobody-at-all: no such consumer");

        String path = "/console/templates/" + a.id() + "/order-status";
        String shown = page(viewer, path, 200);
        // each placeholder filled with its name, or with its longest value when the name is longer (status: 4)
        assertThat(shown).contains("data-testid=\"zalo-card\"", "Đơn order_code", "<td class=\"zc-value zc-green\">0000</td>",
                "https://shop.vn/orders/order_code", "v1 (", "<code>order_code</code> ≤ 20").doesNotContain("/edit\"");
        // another consumer's template is not found under this consumer, nor a version it does not have, nor a name no template has
        for (String missing : List.of("/console/templates/" + a.id() + "/b-only", path + "?version=2", path + "?version=x",
                "/console/templates/" + a.id() + "/Not_A_Name", "/console/templates/not-a-uuid/order-status",
                "/console/templates/" + java.util.UUID.randomUUID() + "/order-status")) {
            page(viewer, missing, 404);
        }

        // a viewer can neither open the form nor save
        viewer.request().get(path + "/edit").then().statusCode(403);
        viewer.request().get("/console/templates/new?consumer=" + a.id()).then().statusCode(403);
        viewer.request().contentType(FORM).formParam("csrf-token", viewer.token())
                .formParam("template", StoredTemplates.orderStatus("order-status", "Khác").toString()).post(path).then().statusCode(403);
        assertThat(rows.one("select latest_version from stored_templates where consumer_id = ?::uuid and name = 'order-status'", a.id()))
                .isEqualTo(Map.of("latest_version", 1));

        // an admin: the form starts from the latest version; what the rules refuse is said on it, every violation
        assertThat(page(admin, path, 200)).contains("href=\"" + path + "/edit\"");
        assertThat(page(admin, path + "/edit", 200)).contains("id=\"template-json\"", "&quot;order_code&quot;", "name=\"csrf-token\"");
        ObjectNode broken = StoredTemplates.orderStatus("order-status", "x".repeat(101));
        ((ObjectNode) broken.get("placeholders")).putObject("unused").put("max_length", 3);
        String refused = admin.request().contentType(FORM).formParam("csrf-token", admin.token())
                .formParam("template", broken.toString()).post(path).then().statusCode(400).extract().asString();
        assertThat(refused).contains("id=\"violations\"", "<code>elements[0].content</code>", "<code>placeholders.unused</code>",
                "x".repeat(101));
        assertThat(admin.request().contentType(FORM).formParam("csrf-token", admin.token())
                .formParam("template", "{not json").post(path).then().statusCode(400).extract().asString()).contains("is not JSON");
        admin.request().contentType(FORM).formParam("template", StoredTemplates.orderStatus("order-status", "Mới").toString())
                .post(path).then().statusCode(403);
        assertThat(rows.one("select latest_version from stored_templates where consumer_id = ?::uuid and name = 'order-status'", a.id()))
                .isEqualTo(Map.of("latest_version", 1));

        admin.request().contentType(FORM).formParam("csrf-token", admin.token())
                .formParam("template", StoredTemplates.orderStatus("order-status", "Đơn mới {{order_code}}").toString()).post(path)
                .then().statusCode(303).header("Location", endsWith(path + "?saved=2"));
        String saved = page(admin, path + "?saved=2", 200);
        assertThat(saved).contains("id=\"saved\"", "Đơn mới order_code", "?version=1\">v1</a>", "?version=2\">v2</a>");
        assertThat(page(viewer, path + "?version=1", 200)).contains("Đơn order_code").doesNotContain("Đơn mới");

        // a new template, and one whose name is taken
        String created = page(admin, "/console/templates/new?consumer=" + a.id(), 200);
        assertThat(created).contains("name=\"consumer\" value=\"" + a.id() + "\"", "customer_code");
        admin.request().contentType(FORM).formParam("csrf-token", admin.token())
                .formParam("consumer", a.id()).formParam("template", StoredTemplates.orderStatus("shipping", "Giao {{order_code}}").toString())
                .post("/console/templates").then().statusCode(303)
                .header("Location", endsWith("/console/templates/" + a.id() + "/shipping?saved=1"));
        assertThat(admin.request().contentType(FORM).formParam("csrf-token", admin.token())
                .formParam("consumer", a.id()).formParam("template", StoredTemplates.orderStatus("shipping", "Giao {{order_code}}").toString())
                .post("/console/templates").then().statusCode(409).extract().asString()).contains("<code>name</code> is taken");
        assertThat(page(viewer, "/console/templates?consumer=" + b.name(), 200)).contains("b-only").doesNotContain("shipping", "order-status");

        // a message made from the template shows which one and which version
        ObjectNode message = Messages.JSON.createObjectNode().put("oa_id", Messages.OA_ID).put("user_id", Messages.USER_ID)
                .put("send_at", Messages.inVietnam(Duration.ofHours(2)));
        message.putObject("template").put("name", "order-status").put("version", 1).putObject("data").put("order_code", "DH-1")
                .put("status", "Mới");
        String id = TestKeys.withKey(a.apiKey()).body(message.toString()).post("/v1/messages").then().statusCode(202).extract().path("id");
        assertThat(page(viewer, "/console/messages/" + id, 200)).contains("id=\"message-stored-template\"",
                "href=\"/console/templates/" + a.id() + "/order-status?version=1\">order-status v1</a>");
    }

    @Test
    void theZnsTemplatesOfAConsumersOasAndNoOtherOa() {
        String oaA = EtelecomStub.newOa();
        String oaB = EtelecomStub.newOa();
        Consumers.Made a = Consumers.make("console-za", List.of(oaA), null);
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.LIST_TEMPLATES)).withRequestBody(equalToJson("{\"filter\": {\"oa_id\": \"" + oaA + "\"}}", true, true))
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                        .withBody("{\"templates\": [" + EtelecomStub.listedTemplate(231456, "ENABLE") + ", " + EtelecomStub.listedTemplate(231457, "REJECT")
                                + "], \"paging\": {}}")));

        String chooser = page(viewer, "/console/zns-templates?consumer=" + a.name(), 200);
        assertThat(chooser).contains("id=\"consumer-oas\"", "oa_id=" + oaA).doesNotContain("id=\"zns-templates\"");

        String listed = page(viewer, "/console/zns-templates?consumer=" + a.name() + "&oa_id=" + oaA, 200);
        assertThat(listed).contains("href=\"/console/zns-templates/" + oaA + "/231456\"", "Delivery update", "status-ENABLE", "status-REJECT",
                "HIGH", "IN_TRANSACTION", "<code>order_code</code> <small>STRING * 3–10</small>", "<code>weight_kg</code> <small>NUMBER 1–6</small>",
                "<td>500</td><td>480</td>", "etelecom");
        assertThat(etelecom.findAll(postRequestedFor(urlEqualTo(EtelecomStub.LIST_TEMPLATES)))).hasSize(1);
        // read again within gateway.templates.refresh: from what the registry keeps, no provider asked
        page(viewer, "/console/zns-templates?oa_id=" + oaA, 200);
        assertThat(etelecom.findAll(postRequestedFor(urlEqualTo(EtelecomStub.LIST_TEMPLATES)))).hasSize(1);

        // another OA than the consumer's: said, and nothing asked of any provider
        String other = page(viewer, "/console/zns-templates?consumer=" + a.name() + "&oa_id=" + oaB, 200);
        assertThat(other).contains("OA " + oaB + " is not one of " + a.name() + "&#39;s OAs").doesNotContain("Delivery update");
        assertThat(etelecom.findAll(postRequestedFor(urlEqualTo(EtelecomStub.LIST_TEMPLATES)))).hasSize(1);
        assertThat(page(viewer, "/console/zns-templates?oa_id=abc", 200)).contains("not an OA id");
        assertThat(page(viewer, "/console/zns-templates?consumer=nobody-at-all", 200)).contains("nobody-at-all: no such consumer");

        String one = page(viewer, "/console/zns-templates/" + oaA + "/231456", 200);
        assertThat(one).contains("id=\"zns-name\">Delivery update</dd>", "status-ENABLE", "id=\"zns-params\"", "<td><code>weight_kg</code></td><td>NUMBER</td>");
        for (String missing : List.of("/console/zns-templates/abc/1", "/console/zns-templates/" + oaA + "/-1",
                "/console/zns-templates/" + oaA + "/99999999999999999999")) {
            page(viewer, missing, 404);
        }

        // a message checked against its template, or not: the message page says which
        String id = java.util.UUID.randomUUID().toString();
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, template_checked, "
                + "created_at, updated_at) values (?::uuid, ?::uuid, ?, '42', 'transaction_order', 'VI', '{}', 'CANCELLED', false, now(), now())",
                a.id(), id, Long.parseLong(oaA));
        assertThat(page(viewer, "/console/messages/" + id, 200)).contains("id=\"message-template-checked\">false</dd>");
    }

    @Test
    void theNewPagesAreInTheNavigationInBothLanguages() {
        String vietnamese = page(viewer, "/console/batches", 200);
        assertThat(vietnamese).contains("href=\"/console/batches\" class=\"active\">Lô tin</a>", ">Mẫu lưu sẵn</a>", ">Mẫu ZNS</a>");
        var english = viewer.request().queryParam("to", "en").queryParam("back", "/console").get("/console/language").getCookie("zg-console-lang");
        String page = viewer.request().cookie("zg-console-lang", english).get("/console/templates").then().statusCode(200).extract().asString();
        assertThat(page).contains(">Batches</a>", "class=\"active\">Stored templates</a>", ">ZNS templates</a>");
        assertThat(viewer.request().cookie("zg-console-lang", english).get("/console/zns-templates").then().statusCode(200).extract().asString())
                .contains("Choose an OA");
    }
}
