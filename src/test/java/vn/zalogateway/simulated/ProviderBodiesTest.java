package vn.zalogateway.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.vertx.core.json.JsonObject;
import vn.zalogateway.provider.OaQuota;
import vn.zalogateway.provider.ProviderException;
import vn.zalogateway.provider.esms.EsmsClient;
import vn.zalogateway.provider.etelecom.CreatedJourney;
import vn.zalogateway.provider.etelecom.EtelecomClient;
import vn.zalogateway.provider.etelecom.SentZnsJourney;
import vn.zalogateway.receipt.EsmsCallbacks;
import vn.zalogateway.receipt.NxcloudReceipts;
import vn.zalogateway.receipt.ParsedReceipt;
import vn.zalogateway.receipt.ReceiptStatus;
import vn.zalogateway.simulator.ProviderBodies;
import vn.zalogateway.support.Seeds;

/**
 * The simulator writes what the providers' documents show, and the gateway's own readers read it. Each body is
 * compared with the seed's example of the same kind field by field: the same names, the same nesting, the same
 * JSON types (a number where the seed has a number, a whole one where the seed's is whole, a string where it has a
 * string); only the values differ.
 */
class ProviderBodiesTest {

    static final Instant SENT = Instant.parse("2026-11-23T02:12:39.833Z");
    static final String NXCLOUD_ID = "zalomid.a941ccf8dd374daf0123456789abcdef";
    static final String ZALO_ID = "5c4ee6a0000009692026";
    static final ProviderBodies.Message DELIVERED = new ProviderBodies.Message("6f1c2e1a-0000-4000-8000-000000000001",
            "01a20936-8f8a-7301-b41b-30b3c2e9dddd", NXCLOUD_ID, "3041812345605770721", "5830123456789", ZALO_ID, false);
    static final ProviderBodies.Message FAILS = new ProviderBodies.Message("6f1c2e1a-0000-4000-8000-000000000002",
            "01a20936-8f8a-7301-b41b-30b3c2e9eeee", "zalomid.68d9cc28ba9546f797e0123456789333", "3041812345605770721",
            "5830123456789", null, true);
    static final ProviderBodies.Journey JOURNEY = new ProviderBodies.Journey("1155112233445566778", "126052000058967296",
            "3f9a8c7e1d0b4a2c9e8f7a6b5c4d3e2f", "3041812345605770721", "84912345678");

    /**
     * eSMS's callback parameters, as ../shared/docs/providers.md lists them from eSMS's public callback page (no seed
     * shows a callback): every one a string.
     */
    static final Set<String> ESMS_CALLBACK_PARAMETERS = Set.of("SMSID", "SendStatus", "SendSuccess", "SendFailed", "TotalPrice",
            "TotalReceiver", "TotalSent", "RequestId", "TypeId", "telcoid", "phonenumber", "partnerids", "error_info", "oaid",
            "tempid");
    /** {@code error_info} as providers.md shows it (eSMS's public docs), decoded. */
    static final String ESMS_ERROR_INFO = """
            {"data": {"message_id": "5c4ee6a0000009692026", "user_id": "5830123456789"}, "error": 0, "message": "Success"}""";
    /**
     * SendZNSJourney's answer as eTelecom's public docs list it (../shared/docs/api-contract.md, v1.2; no seed shows
     * one), with CreateJourney's seed's types for the fields both have: ids strings, error_code a whole number,
     * is_charged a boolean, times RFC 3339 strings; fees numbers.
     */
    static final String ETELECOM_SEND_DOCUMENTED = """
            {"id": "string", "msg_id": "string", "journey_id": "string", "error_code": 0, "error_message": "string",
             "is_charged": true, "fee_main": 300, "fee_token": 250, "delivery_status": "Received",
             "sent_time": "2019-08-24T14:15:22Z"}""";
    /** eSMS's ZNS/GetQuota answers as eSMS's page shows them (providers.md section 6 names the two quotas). */
    static final String ESMS_QUOTA_DOCUMENTED = """
            {"CodeResult": "100", "ErrorMessage": "success", "DailyQuota": 500, "RemainingQuota": 500}""";
    static final String ESMS_QUOTA_REFUSED_DOCUMENTED = """
            {"CodeResult": "101", "ErrorMessage": "Authorize Failed"}""";
    /** eTelecom's GetShopOA answer as its public docs list it (providers.md section 6; no seed shows one). */
    static final String ETELECOM_SHOP_OA_DOCUMENTED = """
            {"app_id": "string", "avatar": "string", "connection_id": "string", "connection_method": "unknown",
             "cover": "string", "created_at": "2019-08-24T14:15:22Z", "current_quality": "unknown", "daily_quota": 0,
             "daily_quota_promotion": 0, "description": "string", "estimated_next_month_promotion_quota": 0,
             "expires_at": "2019-08-24T14:15:22Z", "is_verified": true, "last_week_quality": "unknown",
             "monthly_promotion_quota": 0, "name": "string", "oa_id": "string", "onwer_id": "string",
             "remaining_monthly_promotion_quota": 0, "remaining_quota": 0, "shop_id": "string", "status": "Z",
             "updated_at": "2019-08-24T14:15:22Z", "webhook_url": "string"}""";
    static final ObjectMapper JSON = new ObjectMapper();

    // --- NXCloud ----------------------------------------------------------------------------------

    @Test
    void nxcloudsFiveReceiptsHaveTheSeedsNamesNestingAndTypes() {
        // ext is the NXCloud sender's pass-through, returned only when the send gave one: eSMS and eTelecom give none.
        assertSameShape("success", ProviderBodies.nxcloudSuccess(DELIVERED, 4999, SENT), without(seed("success"), "ext"));
        assertSameShape("failed", ProviderBodies.nxcloudFailed(FAILS, SENT), without(seed("failed"), "ext"));
        assertSameShape("delivered", ProviderBodies.nxcloudDelivered(DELIVERED, SENT), without(seed("delivered"), "ext"));
        assertSameShape("journey_acknowledged", ProviderBodies.journeyAcknowledged(JOURNEY, NXCLOUD_ID, SENT),
                without(seed("journey_acknowledged"), "ext"));
        assertSameShape("journey_time_out", ProviderBodies.journeyTimedOut(JOURNEY, SENT), seed("journey_time_out"));
    }

    @Test
    void nxcloudQuotesItsOwnRequestIdAndZalosMessageIdNeverTheSendersReference() {
        JsonObject success = ProviderBodies.nxcloudSuccess(DELIVERED, 4999, SENT);
        String seedRequestId = seed("success").getString("requestId");
        assertThat(success.getString("requestId")).isEqualTo(NXCLOUD_ID).isNotEqualTo(DELIVERED.smsId())
                .startsWith(ProviderBodies.NXCLOUD_REQUEST_ID_PREFIX).hasSameSizeAs(seedRequestId);
        assertThat(success.getJsonObject("zaloRes").getJsonObject("data").getString("msg_id")).isEqualTo(ZALO_ID);
        // NXCloud's sendTime is UTC+8.
        assertThat(success.getString("sendTime")).isEqualTo("2026-11-23 10:12:39");
        ParsedReceipt read = NxcloudReceipts.parse(success.encode());
        assertThat(read.status()).isEqualTo(ReceiptStatus.SUCCESS);
        assertThat(read.requestId()).isEqualTo(NXCLOUD_ID);
        assertThat(read.zaloMsgId()).isEqualTo(ZALO_ID);
        assertThat(read.costCurrency()).isEqualTo("VND");
        assertThat(read.costAmount()).isEqualByComparingTo("300");
        assertThat(read.remainingQuota()).isEqualTo(4999);
        assertThat(read.dailyQuota()).isEqualTo(5000);

        // delivered quotes the same requestId, and nothing else that names the message.
        ParsedReceipt delivered = NxcloudReceipts.parse(ProviderBodies.nxcloudDelivered(DELIVERED, SENT).encode());
        assertThat(delivered.status()).isEqualTo(ReceiptStatus.DELIVERED);
        assertThat(delivered.requestId()).isEqualTo(NXCLOUD_ID);
        assertThat(delivered.zaloMsgId()).isNull();
        assertThat(delivered.costAmount()).isNull();

        ParsedReceipt failed = NxcloudReceipts.parse(ProviderBodies.nxcloudFailed(FAILS, SENT).encode());
        assertThat(failed.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(failed.code()).isEqualTo(17004);
        assertThat(failed.requestId()).isEqualTo(FAILS.nxcloudRequestId());
        assertThat(failed.zaloError()).isEqualTo(-118);
        assertThat(failed.zaloMsgId()).isNull();

        // journey_acknowledged quotes the requestId of the message that started the charge (the seed's are the same).
        assertThat(seed("journey_acknowledged").getString("requestId")).isEqualTo(seedRequestId);
        ParsedReceipt acknowledged = NxcloudReceipts.parse(ProviderBodies.journeyAcknowledged(JOURNEY, NXCLOUD_ID, SENT).encode());
        assertThat(acknowledged.status()).isEqualTo(ReceiptStatus.JOURNEY_ACKNOWLEDGED);
        assertThat(acknowledged.requestId()).isEqualTo(NXCLOUD_ID);
        assertThat(acknowledged.journeyId()).isEqualTo(JOURNEY.journeyId());
        assertThat(acknowledged.costAmount()).isEqualByComparingTo("250");
        assertThat(acknowledged.timestamp()).isEqualTo(SENT.toEpochMilli());

        ParsedReceipt timedOut = NxcloudReceipts.parse(ProviderBodies.journeyTimedOut(JOURNEY, SENT).encode());
        assertThat(timedOut.status()).isEqualTo(ReceiptStatus.JOURNEY_TIME_OUT);
        assertThat(timedOut.code()).isEqualTo(17007);
        assertThat(timedOut.requestId()).isNull();
    }

    // --- eSMS -------------------------------------------------------------------------------------

    @Test
    void esmsSendAnswersHaveTheSeedsNamesAndTypes() {
        JsonObject accepted = ProviderBodies.esmsAnswer("100", DELIVERED.smsId(), null);
        assertSameShape("100", accepted, Seeds.esms("send-100"));
        assertThat(EsmsClient.submitted(accepted.encode()).smsId()).isEqualTo(DELIVERED.smsId());

        // Every refusal is the seed's 101: no SMSID, an ErrorMessage.
        for (String code : List.of("101", "99", "110", "204", "210")) {
            JsonObject refused = ProviderBodies.esmsAnswer(code, null, "why");
            assertSameShape(code, refused, Seeds.esms("send-101"));
            assertThatThrownBy(() -> EsmsClient.submitted(refused.encode())).isInstanceOf(ProviderException.Refused.class);
        }

        // 124 with the first send's SMSID: the 100's fields and the ErrorMessage an answer other than 100 has.
        JsonObject duplicate = ProviderBodies.esmsAnswer("124", DELIVERED.smsId(), "Duplicate RequestId");
        assertSameShape("124 with an SMSID", duplicate, seedObject(Seeds.esms("send-100")).put("ErrorMessage", "Authorize Failed"));
        assertThat(EsmsClient.submitted(duplicate.encode()).smsId()).isEqualTo(DELIVERED.smsId());
        // 124 without one: the 101's fields; the gateway takes it as taken, its callback brings the SMSID.
        JsonObject bare = ProviderBodies.esmsAnswer("124", null, "Duplicate RequestId");
        assertSameShape("124 without an SMSID", bare, Seeds.esms("send-101"));
        EsmsClient.Submitted submitted = EsmsClient.submitted(bare.encode());
        assertThat(submitted.smsId()).isNull();
        assertThat(submitted.note()).isNull();
    }

    @Test
    void esmsCallbackHasTheDocumentedParametersAndTeachesZalosMessageId() {
        Map<String, String> parameters = ProviderBodies.esmsCallback(DELIVERED);
        assertThat(parameters.keySet()).containsExactlyInAnyOrderElementsOf(ESMS_CALLBACK_PARAMETERS);
        assertThat(parameters.values()).doesNotContainNull();
        assertThat(parameters).containsEntry("RequestId", DELIVERED.requestId()).containsEntry("partnerids", ZALO_ID)
                .containsEntry("SMSID", DELIVERED.smsId());

        String query = ProviderBodies.query(parameters);
        assertThat(query).contains("error_info=%257B%2522data%2522"); // "{" encoded twice
        Map<String, String> received = decoded(query);
        assertSameShape("error_info", URLDecoder.decode(received.get("error_info"), StandardCharsets.UTF_8), ESMS_ERROR_INFO);

        ParsedReceipt read = EsmsCallbacks.parse(received);
        assertThat(read.status()).isEqualTo(ReceiptStatus.SUCCESS);
        assertThat(read.requestId()).isEqualTo(DELIVERED.smsId());
        assertThat(read.messageId()).isEqualTo(UUID.fromString(DELIVERED.requestId()));
        assertThat(read.zaloMsgId()).isEqualTo(ZALO_ID);
        assertThat(read.message()).isEqualTo("Success");
        assertThat(read.costAmount()).isEqualByComparingTo(new BigDecimal("300"));

        Map<String, String> failedParameters = ProviderBodies.esmsCallback(FAILS);
        assertThat(failedParameters.keySet()).containsExactlyInAnyOrderElementsOf(ESMS_CALLBACK_PARAMETERS);
        ParsedReceipt failed = EsmsCallbacks.parse(decoded(ProviderBodies.query(failedParameters)));
        assertThat(failed.status()).isEqualTo(ReceiptStatus.FAILED);
        assertThat(failed.zaloError()).as("Zalo's own number, from error_info").isEqualTo(-118);
        assertThat(failed.zaloMsgId()).isNull();
        assertThat(failed.message()).isEqualTo("Zalo account not existed");
    }

    @Test
    void getCallbackRenamesWhatGetCallbackSpellsDifferently() {
        JsonObject answer = ProviderBodies.getCallbackAnswer(List.of(ProviderBodies.esmsCallback(DELIVERED)));
        assertThat(answer.getString("Code")).isEqualTo("100");
        JsonObject entry = answer.getJsonArray("Data_callback").getJsonObject(0);
        assertThat(entry.fieldNames()).contains("SMSID", "SendStatus", "ErrorInfo", "OAId", "partnerids", "RequestId")
                .doesNotContain("error_info", "oaid");
    }

    @Test
    void esmsQuotaAnswersHaveThePagesNamesAndTypesAndAreRead() {
        JsonObject quota = ProviderBodies.esmsQuota(5000, 4992);
        assertSameShape("GetQuota", quota, ESMS_QUOTA_DOCUMENTED);
        OaQuota read = EsmsClient.quotaOf(quota.encode());
        assertThat(read.remainingQuota()).isEqualTo(4992);
        assertThat(read.dailyQuota()).isEqualTo(5000);
        // The page's table types the quotas "string": digits in a string are read alike.
        assertThat(EsmsClient.quotaOf("{\"CodeResult\": \"100\", \"DailyQuota\": \"50\", \"RemainingQuota\": \"0\"}"))
                .isEqualTo(new OaQuota(0, 50));

        JsonObject refused = ProviderBodies.esmsQuotaRefused("101", "Authorize Failed");
        assertSameShape("GetQuota refused", refused, ESMS_QUOTA_REFUSED_DOCUMENTED);
        assertThatThrownBy(() -> EsmsClient.quotaOf(refused.encode())).isInstanceOf(ProviderException.Refused.class)
                .hasMessageContaining("101");

        // No readable RemainingQuota is no reading: nothing is guessed.
        for (String odd : List.of("{\"CodeResult\": \"100\", \"DailyQuota\": 500}",
                "{\"CodeResult\": \"100\", \"RemainingQuota\": -1}", "{\"CodeResult\": \"100\", \"RemainingQuota\": 3000000000}",
                "{\"CodeResult\": \"100\", \"RemainingQuota\": 1.5}", "{\"RemainingQuota\": 5}", "<html>busy</html>",
                "{\"CodeResult\": \"100\", \"RemainingQuota\": 5, \"x\": \"" + "y".repeat(70_000) + "\"}")) {
            assertThatThrownBy(() -> EsmsClient.quotaOf(odd)).as(odd.length() > 100 ? "a huge answer" : odd)
                    .isInstanceOf(ProviderException.Unavailable.class);
        }
        assertThat(EsmsClient.quotaOf("{\"CodeResult\": \"100\", \"RemainingQuota\": 5, \"DailyQuota\": \"many\"}"))
                .as("an unreadable daily quota is unknown").isEqualTo(new OaQuota(5, null));
    }

    // --- eTelecom ---------------------------------------------------------------------------------

    @Test
    void getShopOaAnswersHaveTheDocumentedNamesAndTypesAndAreRead() {
        long oa = Long.parseLong(DELIVERED.oaId());
        JsonObject shopOa = ProviderBodies.shopOa(DELIVERED.oaId(), 5000, 4992, SENT);
        assertSameShape("GetShopOA", shopOa, ETELECOM_SHOP_OA_DOCUMENTED);
        OaQuota read = EtelecomClient.quotaOf(oa, shopOa.encode());
        assertThat(read.remainingQuota()).isEqualTo(4992);
        assertThat(read.dailyQuota()).isEqualTo(5000);

        assertThatThrownBy(() -> EtelecomClient.quotaOf(oa + 1, shopOa.encode())).as("about another OA")
                .isInstanceOf(ProviderException.Unavailable.class);
        assertThatThrownBy(() -> EtelecomClient.quotaOf(oa, shopOa.copy().putNull("remaining_quota").encode()))
                .isInstanceOf(ProviderException.Unavailable.class);
        assertThatThrownBy(() -> EtelecomClient.quotaOf(oa, "[]")).isInstanceOf(ProviderException.Unavailable.class);
    }

    @Test
    void createJourneyAnswersHaveTheSeedsNamesAndTypes() {
        JsonObject created = ProviderBodies.createdJourney(JOURNEY, SENT, SENT.plusSeconds(7 * 86_400));
        assertSameShape("CreateJourney", created, Seeds.etelecom("create-journey"));
        CreatedJourney read = EtelecomClient.createdJourney(created.encode());
        assertThat(read.journeyId()).isEqualTo(JOURNEY.journeyId());
        assertThat(read.providerStatus()).isEqualTo("Z");
        assertThat(read.expiresAt()).isEqualTo(Instant.parse("2026-11-30T02:12:39.833Z"));

        // The seed's other example is an error_code 1 with every field: so is the simulator's refusal.
        JsonObject refused = ProviderBodies.refusedJourney(JOURNEY.phone());
        assertSameShape("CreateJourney refused", refused, Seeds.etelecom("create-journey-error"));
        assertThatThrownBy(() -> EtelecomClient.createdJourney(refused.encode())).isInstanceOf(ProviderException.Refused.class);

        assertSameShape("eTelecom's error", ProviderBodies.etelecomError("invalid_argument", "oa_id must be an int64"),
                "{\"code\": \"invalid_argument\", \"msg\": \"text\"}");
    }

    @Test
    void sendZnsJourneyAnswersHaveTheDocumentedNamesAndZalosMessageId() {
        JsonObject sent = ProviderBodies.sentZnsJourney("1188000000000000001", ZALO_ID, JOURNEY, true, SENT);
        assertSameShape("SendZNSJourney", sent, ETELECOM_SEND_DOCUMENTED);
        SentZnsJourney read = EtelecomClient.sent(sent.encode());
        assertThat(read.msgId()).isEqualTo(ZALO_ID);
        assertThat(read.feeMain()).isEqualByComparingTo("300");
        assertThat(read.feeToken()).isEqualByComparingTo("250");
        assertThat(ProviderBodies.sentZnsJourney("1", ZALO_ID, JOURNEY, false, SENT).getValue("fee_token"))
                .isEqualTo(BigDecimal.ZERO);

        JsonObject refused = ProviderBodies.refusedZnsJourney(JOURNEY.journeyId(), -118, "Zalo account not existed");
        assertSameShape("SendZNSJourney refused", refused, ETELECOM_SEND_DOCUMENTED);
        assertThatThrownBy(() -> EtelecomClient.sent(refused.encode())).isInstanceOf(ProviderException.Refused.class)
                .hasMessageContaining("-118");
    }

    // --- The comparison ---------------------------------------------------------------------------

    /** The same field names at every level, and each value of the seed's JSON type. */
    static void assertSameShape(String what, Object ours, Object seed) {
        List<String> differences = new ArrayList<>();
        compare("$", tree(ours), tree(seed), differences);
        assertThat(differences).as(what + " against the seed's example").isEmpty();
    }

    private static void compare(String path, JsonNode ours, JsonNode seed, List<String> differences) {
        if (seed.isObject() && ours.isObject()) {
            Set<String> seedNames = new TreeSet<>();
            seed.fieldNames().forEachRemaining(seedNames::add);
            Set<String> ourNames = new TreeSet<>();
            ours.fieldNames().forEachRemaining(ourNames::add);
            for (String name : seedNames) {
                if (!ourNames.contains(name)) {
                    differences.add(path + "." + name + " is missing");
                } else {
                    compare(path + "." + name, ours.get(name), seed.get(name), differences);
                }
            }
            ourNames.stream().filter(name -> !seedNames.contains(name))
                    .forEach(name -> differences.add(path + "." + name + " is not in the seed"));
            return;
        }
        String ourType = type(ours);
        String seedType = type(seed);
        // A whole number may stand where the seed has a fraction (a price of 300 beside one of 4.1234), not the reverse.
        boolean same = ourType.equals(seedType) || seedType.equals("number") && ourType.equals("whole number");
        if (!same) {
            differences.add(path + " is " + ourType + " (" + ours + "), the seed's " + seedType + " (" + seed + ")");
        }
    }

    private static String type(JsonNode node) {
        return node.isIntegralNumber() ? "whole number" : node.isNumber() ? "number" : node.getNodeType().name().toLowerCase();
    }

    private static JsonNode tree(Object json) {
        try {
            return JSON.readTree(json instanceof JsonObject object ? object.encode() : (String) json);
        } catch (JsonProcessingException notJson) {
            throw new IllegalArgumentException(notJson);
        }
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

    static JsonObject seed(String status) {
        return seedObject(Seeds.nxcloud(status));
    }

    static JsonObject seedObject(String json) {
        return new JsonObject(json);
    }
}
