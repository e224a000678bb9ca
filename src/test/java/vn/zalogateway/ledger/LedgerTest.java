package vn.zalogateway.ledger;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static vn.zalogateway.support.StubAnswers.json;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import vn.zalogateway.support.ConsoleSignIn;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.Seeds;
import vn.zalogateway.support.TestKeys;

/**
 * One ledger: what a message cost is one fact, and the message resource, its status callbacks, the cost report
 * and the console all show it alike, to the unit; an OA's quota is known from the seed's receipts, which name no
 * OA. Receipts shaped exactly as the seed's examples.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class LedgerTest {

    static final String OA = "3041812345605770721";
    static final String PROVIDER_JOURNEY = "1260521234558967296";
    static final String WEBHOOK = "/v1/webhooks/nxcloud/test-nxcloud-secret";

    @InjectWireMock
    WireMockServer etelecom;

    @Inject
    AgroalDataSource dataSource;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("receipts", "charges", "oa_quotas", "oa_hour_costs", "cost_hours", "callback_events", "messages", "journeys",
                "idempotency_keys");
        etelecom.resetAll();
    }

    JsonPath awaitStatus(String key, String id, String status) {
        return await().atMost(Duration.ofSeconds(20)).until(
                () -> given().auth().oauth2(key).get("/v1/messages/" + id).then().statusCode(200).extract().jsonPath(),
                message -> status.equals(message.getString("status")));
    }

    static void deliver(String body) {
        given().contentType(ContentType.JSON).body(body).post(WEBHOOK).then().statusCode(200);
    }

    /**
     * A journey message: eTelecom charges 300 for the send and 250 for the token (its SendZNSJourney answer). NXCloud's
     * success receipt (USD) and the token's journey_acknowledged (EUR, the seed's) report the same two charges: they
     * are kept as receipts, never counted again. Every reader shows 550 VND in two charges.
     */
    @Test
    void aJourneyMessagesCostIsOneFactEveryReaderShows() {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(json(EtelecomStub.CREATED_JOURNEY)));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY))
                .willReturn(json(EtelecomStub.SENT_ZNS_JOURNEY).withTransformers("response-template")));
        Consumers.Made shop = Consumers.make("ledger", List.of(OA), "http://127.0.0.1:9/events");
        String id = given().auth().oauth2(shop.apiKey()).contentType(ContentType.JSON).body("""
                {"kind": "zns_journey", "oa_id": "%s", "phone": "0912345678", "template_id": 231456,
                 "template_data": {"order_code": "DH-001"}, "journey": {"token_type": "token_logistics_7"}}""".formatted(OA))
                .post("/v1/messages").then().statusCode(202).extract().path("id");
        awaitStatus(shop.apiKey(), id, "SUBMITTED");

        deliver(Seeds.nxcloud("success").replace("zalomid.a941ccf8dd374dafxxxxxxacbe7a6ea5", "msg-" + id));
        deliver(Seeds.nxcloud("journey_acknowledged").replace("126052xxxx58967296", PROVIDER_JOURNEY));
        JsonPath message = awaitStatus(shop.apiKey(), id, "SENT");

        assertThat(message.getString("cost.currency")).isEqualTo("VND");
        assertThat(message.getDouble("cost.amount")).isEqualTo(550.0);
        assertThat(message.getDouble("cost.fee_main")).isEqualTo(300.0);
        assertThat(message.getDouble("cost.fee_token")).isEqualTo(250.0);
        given().auth().oauth2(shop.apiKey()).get("/v1/reports/costs").then().statusCode(200)
                .body("totals", hasSize(1)).body("totals[0].currency", equalTo("VND"))
                .body("totals[0].amount", equalTo(550.0f)).body("totals[0].charges", equalTo(2));
        String journey = message.getString("journey.id");
        given().auth().oauth2(shop.apiKey()).get("/v1/journeys/" + journey).then().statusCode(200)
                .body("status", equalTo("ACKNOWLEDGED")).body("messages[0].fee_token", equalTo(250.0f));
        assertThat(rows.one("select data->'cost'->>'currency' as currency, (data->'cost'->>'amount')::numeric as amount "
                + "from callback_events where subject_id = ?::uuid and data->>'status' = 'SENT'", id))
                .as("the status callback's cost").containsEntry("currency", "VND")
                .hasEntrySatisfying("amount", amount -> assertThat(amount.toString()).isEqualTo("550.000000"));
        assertThat(rows.count("charges")).isEqualTo(2);

        ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD).request().get("/console/costs")
                .then().statusCode(200).body(containsString(OA)).body(containsString("550 VND"));
    }

    /**
     * The seed's success receipt names no OA and its delivered receipt repeats nothing: the quota it carries is the
     * OA's of its message, and its cost is that message's, on the quota resource, the report and the console alike.
     */
    @Test
    void aSeedReceiptTellsItsMessagesOaTheQuotaAndTheCost() {
        rows.submittedMessage("0190a0a0-0000-7000-8000-00000000aaaa", "zalomid.a941ccf8dd374dafxxxxxxacbe7a6ea5");
        deliver(Seeds.nxcloud("success"));
        deliver(Seeds.nxcloud("delivered"));

        TestKeys.consumer().get("/v1/oas/" + OA + "/quota").then().statusCode(200)
                .body("remaining_quota", equalTo(4999)).body("daily_quota", equalTo(5000));
        TestKeys.consumer().get("/v1/messages/0190a0a0-0000-7000-8000-00000000aaaa").then()
                .body("status", equalTo("DELIVERED")).body("cost.currency", equalTo("USD")).body("cost.amount", equalTo(4.1234f));
        TestKeys.consumer().get("/v1/reports/costs").then().body("totals[0].amount", equalTo(4.1234f))
                .body("totals[0].charges", equalTo(1));

        ConsoleSignIn.Browser operator = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
        operator.request().get("/console").then().statusCode(200)
                .body(containsString("<td>" + OA + "</td><td>4999</td><td>5000</td>"));
        operator.request().get("/console/costs").then().statusCode(200).body(containsString("4.1234 USD"));
    }
}
