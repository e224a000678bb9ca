package vn.zalogateway.receipt;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.Seeds;
import vn.zalogateway.support.TestKeys;

/**
 * Receipts found by every id a provider gives a message, as production traffic carries them: NXCloud's receipts
 * quote NXCloud's own requestId ({@code zalomid.…}, never eSMS's SMSID) and Zalo's message id in zaloRes, which
 * eSMS's callback reports as {@code partnerids}; eTelecom's msg_id is Zalo's message id. Receipts shaped as the
 * seed's examples.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ZaloIdMatchingTest {

    static final String MESSAGE = "0190a0a0-0000-7000-8000-00000000aaaa";
    static final String SMS_ID = "d8e0f1f0702544b2acb456ca9ccfd111250";
    static final String NXCLOUD_ID = "zalomid.a941ccf8dd374dafxxxxxxacbe7a6ea5";
    static final String ZALO_ID = "5c4ee6axxxxxx9692026";
    static final String ESMS_CALLBACK = "/v1/webhooks/esms/test-esms-secret";
    static final String NXCLOUD_WEBHOOK = "/v1/webhooks/nxcloud/test-nxcloud-secret";

    @Inject
    AgroalDataSource dataSource;

    Rows rows;

    @BeforeEach
    void oneEsmsMessage() {
        rows = new Rows(dataSource);
        rows.clear("receipts", "charges", "oa_quotas", "messages", "journeys", "idempotency_keys");
        rows.submittedMessage(MESSAGE, SMS_ID);
    }

    static void esmsSuccess(String partnerIds) {
        given().queryParam("SMSID", SMS_ID).queryParam("RequestId", MESSAGE).queryParam("SendStatus", "5")
                .queryParam("SendSuccess", "1").queryParam("partnerids", partnerIds).get(ESMS_CALLBACK).then().statusCode(200);
    }

    static void nxcloud(String body) {
        given().contentType(ContentType.JSON).body(body).post(NXCLOUD_WEBHOOK).then().statusCode(200);
    }

    String status() {
        return (String) rows.one("select status from messages where id = ?::uuid", MESSAGE).get("status");
    }

    /** eSMS's callback teaches Zalo's id; NXCloud's success finds the message by it and teaches its own requestId; delivered finds it by that. */
    @Test
    void nxcloudsReceiptsFindAnEsmsMessageByZalosIdThenByNxcloudsOwnRequestId() {
        esmsSuccess(ZALO_ID);
        assertThat(rows.one("select zalo_msg_id from messages where id = ?::uuid", MESSAGE)).containsEntry("zalo_msg_id", ZALO_ID);

        nxcloud(Seeds.nxcloud("success"));
        nxcloud(Seeds.nxcloud("delivered"));

        assertThat(status()).isEqualTo("DELIVERED");
        assertThat(rows.one("select provider_message_id, nxcloud_request_id, zalo_msg_id from messages where id = ?::uuid", MESSAGE))
                .containsEntry("provider_message_id", SMS_ID).containsEntry("nxcloud_request_id", NXCLOUD_ID)
                .containsEntry("zalo_msg_id", ZALO_ID);
        assertThat(rows.count("receipts where message_ref = '" + MESSAGE + "'")).isEqualTo(3);
        TestKeys.consumer().get("/v1/messages/" + MESSAGE).then().body("zalo_msg_id", equalTo(ZALO_ID))
                .body("receipts.size()", equalTo(3));
    }

    /** NXCloud before eSMS: its receipts wait unmatched, and the sweep applies them once eSMS's callback names Zalo's id. */
    @Test
    void receiptsThatCameFirstAreAppliedOnceZalosIdIsKnown() {
        nxcloud(Seeds.nxcloud("delivered"));
        nxcloud(Seeds.nxcloud("success"));
        assertThat(rows.count("receipts where applied_at is null")).isEqualTo(2);

        esmsSuccess(ZALO_ID);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(rows.count("receipts where applied_at is null")).isZero();
            assertThat(status()).isEqualTo("DELIVERED");
        });
    }

    /** A journey message: eTelecom's msg_id is Zalo's id, so NXCloud's receipt quoting its own requestId is still found. */
    @Test
    void aJourneyMessageIsFoundByZalosIdWhateverRequestIdNxcloudQuotes() {
        rows.update("update messages set kind = 'zns_journey', phone = '84912345678', template_id = 1, template_data = '{}', "
                + "journey_phone = '84912345678', provider_message_id = ?, zalo_msg_id = ? where id = ?::uuid", ZALO_ID, ZALO_ID, MESSAGE);
        nxcloud(Seeds.nxcloud("success"));
        assertThat(status()).isEqualTo("SENT");
    }

    /** A failed eSMS callback says why with Zalo's own number (-118), not its SendStatus; the class says what it means. */
    @Test
    void aFailedEsmsCallbackKeepsZalosErrorNumberAndItsClass() {
        given().urlEncodingEnabled(true).queryParam("SMSID", SMS_ID).queryParam("SendStatus", "5").queryParam("SendFailed", "1")
                .queryParam("error_info", "{\"data\":{\"message_id\":\"" + ZALO_ID + "\",\"user_id\":\"5830123456789\"},"
                        + "\"error\":-118,\"message\":\"Zalo account not existed\"}")
                .get(ESMS_CALLBACK).then().statusCode(200);

        TestKeys.consumer().get("/v1/messages/" + MESSAGE).then().body("status", equalTo("FAILED"))
                .body("error.code", equalTo("-118")).body("error.message", equalTo("Zalo account not existed"))
                .body("error.class", equalTo("recipient_unreachable")).body("zalo_msg_id", equalTo(ZALO_ID));
    }

    /** NXCloud's failed seed: its code 17004 kept, Zalo's -118 from zaloRes gives the class. */
    @Test
    void nxcloudsFailedSeedIsARecipientThatCannotBeReached() {
        rows.update("update messages set nxcloud_request_id = 'zalomid.68d9cc28ba9546f797exxxxxx9333e23' where id = ?::uuid", MESSAGE);
        nxcloud(Seeds.nxcloud("failed"));
        TestKeys.consumer().get("/v1/messages/" + MESSAGE).then().body("status", equalTo("FAILED"))
                .body("error.code", equalTo("17004")).body("error.class", equalTo("recipient_unreachable"));
    }
}
