package vn.zalogateway.message;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/**
 * UNCONFIRMED for every message, whatever its provider and with no gateway.esms.callback-url (so no reconciler):
 * an eSMS message whose receipt never comes, one in eSMS's sandbox (which never reports) and a ZNS journey
 * message (only NXCloud reports those) all end UNCONFIRMED once the wait is over, by the scheduled job.
 */
@QuarkusTest
@TestProfile(ReceiptWaitTest.ShortWait.class)
@WithTestResource(value = EsmsStub.class, initArgs = @ResourceArg(name = EsmsStub.CALLBACK_URL_ARG, value = "none"))
@WithTestResource(EtelecomStub.class)
class ReceiptWaitTest {

    public static class ShortWait implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.receipts.wait", "PT2S", "gateway.receipts.wait-check", "PT0.5S",
                    "gateway.api-key-hashes", TestKeys.HASHES);
        }
    }

    @InjectEsms
    WireMockServer esms;

    @InjectWireMock
    WireMockServer etelecom;

    @Inject
    AgroalDataSource dataSource;

    @BeforeEach
    void reset() {
        new Rows(dataSource).clear("receipts", "charges", "oa_quotas", "messages", "journeys", "idempotency_keys");
        esms.resetAll();
        etelecom.resetAll();
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"CodeResult\": \"100\", \"SMSID\": \"sms-{{randomValue length=12 type='ALPHANUMERIC'}}\"}")
                .withTransformers("response-template")));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(EtelecomStub.CREATED_JOURNEY)));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(EtelecomStub.SENT_ZNS_JOURNEY)
                .withTransformers("response-template")));
    }

    static final String TRANSACTION = """
            {"oa_id": "3041812345605770721", "user_id": "5830123456789", "template_type": "transaction_order", "language": "VI",
             "sandbox": %s, "elements": [{"type": "header", "content": "Đơn hàng"},
             {"type": "table", "content": [{"key": "Mã khách hàng", "value": "A-1"}]}]}""";
    static final String JOURNEY = """
            {"kind": "zns_journey", "oa_id": "3041812345605770721", "phone": "0912345678", "template_id": 231456,
             "template_data": {"order_code": "DH-001"}, "journey": {"token_type": "token_logistics_7"}}""";

    static String send(String body) {
        return given().auth().oauth2(TestKeys.KEY).contentType(ContentType.JSON).body(body).post("/v1/messages")
                .then().statusCode(202).extract().path("id");
    }

    @Test
    void everyMessageWithoutAFinalReceiptEndsUnconfirmed() {
        String esmsMessage = send(TRANSACTION.formatted("false"));
        String sandboxMessage = send(TRANSACTION.formatted("true"));
        String journeyMessage = send(JOURNEY);

        for (String id : new String[] { esmsMessage, sandboxMessage, journeyMessage }) {
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> TestKeys.consumer().get("/v1/messages/" + id)
                    .then().statusCode(200).body("status", equalTo("UNCONFIRMED")));
        }
        // A late report that is not final (eSMS: Zalo got it) adds nothing to "no final report within the wait".
        given().queryParam("SMSID", TestKeys.consumer().get("/v1/messages/" + esmsMessage).path("provider_message_id").toString())
                .queryParam("SendStatus", "5").queryParam("SendSuccess", "1")
                .get("/v1/webhooks/esms/test-esms-secret").then().statusCode(200);
        TestKeys.consumer().get("/v1/messages/" + esmsMessage).then().body("status", equalTo("UNCONFIRMED"));
    }

    @Test
    void aMessageSentOnWhoseFinalReceiptNeverComesEndsUnconfirmed() {
        String id = send(TRANSACTION.formatted("false"));
        await().atMost(Duration.ofSeconds(30)).until(() -> TestKeys.consumer().get("/v1/messages/" + id).path("provider_message_id") != null);
        // eSMS says Zalo got it (SENT); NXCloud's delivered never comes.
        given().queryParam("SMSID", TestKeys.consumer().get("/v1/messages/" + id).path("provider_message_id").toString())
                .queryParam("SendStatus", "5").queryParam("SendSuccess", "1")
                .get("/v1/webhooks/esms/test-esms-secret").then().statusCode(200);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> TestKeys.consumer().get("/v1/messages/" + id)
                .then().statusCode(200).body("status", equalTo("UNCONFIRMED")));
    }
}
