package vn.zalogateway.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.vertx.core.json.JsonObject;
import vn.zalogateway.receipt.EsmsCallbacks;
import vn.zalogateway.receipt.NxcloudReceipts;
import vn.zalogateway.receipt.ParsedReceipt;
import vn.zalogateway.receipt.ReceiptStatus;
import vn.zalogateway.simulator.ProviderBodies;
import vn.zalogateway.support.Seeds;

/** The simulator writes what the providers' documents show, and the gateway's own readers read it. */
class ProviderBodiesTest {

    static final Instant SENT = Instant.parse("2026-11-23T02:12:39.833Z");
    static final ProviderBodies.Message DELIVERED = new ProviderBodies.Message("6f1c2e1a-0000-4000-8000-000000000001",
            "01a20936-8f8a-7301-b41b-30b3c2e9dddd", "3041812345605770721", "5830123456789", "5c4ee6a0000009692026", false);
    static final ProviderBodies.Message FAILS = new ProviderBodies.Message("6f1c2e1a-0000-4000-8000-000000000002",
            "01a20936-8f8a-7301-b41b-30b3c2e9eeee", "3041812345605770721", "5830123456789", "5c4ee6a0000009692027", true);
    static final ProviderBodies.Journey JOURNEY = new ProviderBodies.Journey("1", "126052000058967296", "token",
            "3041812345605770721", "84912345678");

    @Test
    void successIsTheSeedsShapeWithCostAndQuota() {
        JsonObject body = ProviderBodies.nxcloudSuccess(DELIVERED, 4999, SENT);
        JsonObject seed = seed("success");
        assertThat(body.fieldNames()).containsExactlyInAnyOrderElementsOf(without(seed, "ext").fieldNames());
        assertThat(body.getJsonObject("zaloRes").fieldNames()).isEqualTo(seed.getJsonObject("zaloRes").fieldNames());
        assertThat(body.getJsonObject("zaloRes").getJsonObject("data").fieldNames())
                .isEqualTo(seed.getJsonObject("zaloRes").getJsonObject("data").fieldNames());
        // NXCloud's sendTime is UTC+8.
        assertThat(body.getString("sendTime")).isEqualTo("2026-11-23 10:12:39");

        ParsedReceipt read = NxcloudReceipts.parse(body.encode());
        assertThat(read.status()).isEqualTo(ReceiptStatus.SUCCESS);
        assertThat(read.code()).isZero();
        assertThat(read.requestId()).isEqualTo(DELIVERED.smsId());
        assertThat(read.costCurrency()).isEqualTo("VND");
        assertThat(read.costAmount()).isEqualByComparingTo("300");
        assertThat(read.remainingQuota()).isEqualTo(4999);
        assertThat(read.dailyQuota()).isEqualTo(5000);
    }

    @Test
    void failedAndDeliveredAreTheSeedsShape() {
        JsonObject failed = ProviderBodies.nxcloudFailed(FAILS, SENT);
        assertThat(failed.fieldNames()).containsExactlyInAnyOrderElementsOf(without(seed("failed"), "ext").fieldNames());
        assertThat(failed.getJsonObject("zaloRes").fieldNames()).isEqualTo(seed("failed").getJsonObject("zaloRes").fieldNames());
        ParsedReceipt readFailed = NxcloudReceipts.parse(failed.encode());
        assertThat(readFailed.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(readFailed.code()).isEqualTo(17004);

        JsonObject delivered = ProviderBodies.nxcloudDelivered(DELIVERED, SENT);
        assertThat(delivered.fieldNames()).containsExactlyInAnyOrderElementsOf(without(seed("delivered"), "ext").fieldNames());
        ParsedReceipt readDelivered = NxcloudReceipts.parse(delivered.encode());
        assertThat(readDelivered.status()).isEqualTo(ReceiptStatus.DELIVERED);
        assertThat(readDelivered.code()).isEqualTo(17003);
        assertThat(readDelivered.costAmount()).isNull();
    }

    @Test
    void journeyReceiptsAreTheSeedsShape() {
        JsonObject acknowledged = ProviderBodies.journeyAcknowledged(JOURNEY, "c0ffee", SENT);
        assertThat(acknowledged.fieldNames())
                .containsExactlyInAnyOrderElementsOf(without(seed("journey_acknowledged"), "ext").fieldNames());
        assertThat(acknowledged.getString("requestId")).as("the message that started the charge").isEqualTo("c0ffee");
        ParsedReceipt readAcknowledged = NxcloudReceipts.parse(acknowledged.encode());
        assertThat(readAcknowledged.status()).isEqualTo(ReceiptStatus.JOURNEY_ACKNOWLEDGED);
        assertThat(readAcknowledged.journeyId()).isEqualTo(JOURNEY.journeyId());
        assertThat(readAcknowledged.costAmount()).isEqualByComparingTo("250");
        assertThat(readAcknowledged.timestamp()).isEqualTo(SENT.toEpochMilli());

        JsonObject timedOut = ProviderBodies.journeyTimedOut(JOURNEY, SENT);
        assertThat(timedOut.fieldNames()).containsExactlyInAnyOrderElementsOf(seed("journey_time_out").fieldNames());
        ParsedReceipt readTimedOut = NxcloudReceipts.parse(timedOut.encode());
        assertThat(readTimedOut.status()).isEqualTo(ReceiptStatus.JOURNEY_TIME_OUT);
        assertThat(readTimedOut.code()).isEqualTo(17007);
    }

    @Test
    void createJourneyAnswersWithEveryFieldOfTheSeedsExample() {
        JsonObject answer = ProviderBodies.createdJourney(JOURNEY, SENT, SENT.plusSeconds(7 * 86_400));
        assertThat(answer.fieldNames()).containsExactlyInAnyOrder("created_at", "error_code", "error_message", "expired_at",
                "id", "is_charged", "journey_id", "journey_token", "phone", "status", "updated_at");
        assertThat(answer.getInteger("error_code")).isZero();
        assertThat(answer.getString("status")).isEqualTo("Z");
        assertThat(answer.getString("expired_at")).isEqualTo("2026-11-30T02:12:39.833Z");
        assertThat(ProviderBodies.refusedJourney("84912345678").getInteger("error_code")).isNotZero();
    }

    @Test
    void esmsCallbackCarriesDoubleEncodedErrorInfoThatTheGatewayReads() {
        String query = ProviderBodies.query(ProviderBodies.esmsCallback(DELIVERED));
        assertThat(query).contains("error_info=%257B%2522data%2522"); // "{" encoded twice
        ParsedReceipt read = EsmsCallbacks.parse(decoded(query));
        assertThat(read.status()).isEqualTo(ReceiptStatus.SUCCESS);
        assertThat(read.requestId()).isEqualTo(DELIVERED.smsId());
        assertThat(read.message()).isEqualTo("Success");
        assertThat(read.costAmount()).isEqualByComparingTo(new BigDecimal("300"));

        ParsedReceipt failed = EsmsCallbacks.parse(decoded(ProviderBodies.query(ProviderBodies.esmsCallback(FAILS))));
        assertThat(failed.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(failed.message()).isEqualTo("Zalo account not existed");
    }

    @Test
    void getCallbackRenamesWhatGetCallbackSpellsDifferently() {
        JsonObject answer = ProviderBodies.getCallbackAnswer(java.util.List.of(ProviderBodies.esmsCallback(DELIVERED)));
        assertThat(answer.getString("Code")).isEqualTo("100");
        JsonObject entry = answer.getJsonArray("Data_callback").getJsonObject(0);
        assertThat(entry.fieldNames()).contains("SMSID", "SendStatus", "ErrorInfo", "OAId").doesNotContain("error_info", "oaid");
    }

    /** What a web server makes of a query string: one round of decoding. */
    static Map<String, String> decoded(String query) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            parameters.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
        }
        return parameters;
    }

    static JsonObject without(JsonObject json, String... names) {
        JsonObject copy = json.copy();
        for (String name : names) {
            copy.remove(name);
        }
        return copy;
    }

    static JsonObject seed(String name) {
        return new JsonObject(Seeds.nxcloud(name));
    }
}
