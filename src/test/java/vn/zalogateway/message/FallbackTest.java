package vn.zalogateway.message;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.faulttolerance.api.CircuitBreakerMaintenance;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.common.SendWindow;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/**
 * Contract v1.3's SMS fallback, end to end over real HTTP: each of the four triggers sends the SMS through eSMS's
 * brandname SMS once (RequestId: the message id and -sms), the SMS's callback moves its attempt, the message's status
 * stays SUBMITTED while the SMS is in flight and ends DELIVERED or FAILED by both channels, the consumer is told, and
 * the ledger keeps the SMS's price.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class FallbackTest {

    static final String CALLBACK = "/v1/webhooks/esms/test-esms-secret";
    static final String PHONE = "0912345678";
    static final String SMS_TEXT = "Don hang DH-001 dang giao. Tra cuu: shop.vn/dh";

    @InjectEsms
    WireMockServer esms;

    @InjectWireMock
    WireMockServer etelecom;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CircuitBreakerMaintenance circuitBreakers;

    @Inject
    ReceiptWait receiptWait;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Vertx vertx;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("callback_events", "receipts", "charges", "oa_quotas", "messages", "journeys", "idempotency_keys");
        // The consumer is told (its events are kept); nobody listens at this address, which is not what is tested here.
        rows.update("update consumers set callback_url = 'http://127.0.0.1:9/events' where id = ?::uuid", Messages.DEFAULT_CONSUMER);
        esms.resetAll();
        etelecom.resetAll();
        circuitBreakers.resetAll();
    }

    @AfterEach
    void forgetCallbackUrl() {
        rows.update("update consumers set callback_url = null where id = ?::uuid", Messages.DEFAULT_CONSUMER);
    }

    static ObjectNode withFallback(ObjectNode message, String after) {
        ObjectNode fallback = message.putObject("fallback");
        fallback.putObject("sms").put("phone", PHONE).put("text", SMS_TEXT).put("brandname", "SHOP-A");
        if (after != null) {
            fallback.put("after", after);
        }
        return message;
    }

    static ResponseDefinitionBuilder esmsAnswer(String json) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(json);
    }

    void zaloAccepts() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(esmsAnswer(
                "{\"CodeResult\": \"100\", \"SMSID\": \"zalo-{{jsonPath request.body '$.RequestId'}}\"}").withTransformers("response-template")));
    }

    void zaloAnswers(String codeResult) {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(esmsAnswer(
                "{\"CodeResult\": \"" + codeResult + "\", \"ErrorMessage\": \"refused\"}")));
    }

    void smsAccepts() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND_SMS)).willReturn(esmsAnswer(
                "{\"CodeResult\": \"100\", \"SMSID\": \"sms-{{jsonPath request.body '$.RequestId'}}\"}").withTransformers("response-template")));
    }

    List<LoggedRequest> smsRequests() {
        return esms.findAll(postRequestedFor(urlEqualTo(EsmsStub.SEND_SMS)));
    }

    List<LoggedRequest> zaloRequests() {
        return esms.findAll(postRequestedFor(urlEqualTo(EsmsStub.SEND)));
    }

    static JsonNode body(LoggedRequest request) {
        try {
            return Messages.JSON.readTree(request.getBodyAsString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonPath read(String id) {
        return TestKeys.consumer().get("/v1/messages/" + id).then().statusCode(200).extract().jsonPath();
    }

    /** The message once its SMS attempt has this status. */
    static JsonPath awaitSms(String id, String status) {
        return await().atMost(Messages.PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> read(id),
                message -> status.equals(message.getString("attempts.find { it.channel == 'sms' }.status")));
    }

    /** eSMS's callback for the SMS (TypeId 2), as eSMS sends it. */
    static void smsCallback(String id, String sendStatus, String success, String failed, String price) {
        given().queryParam("SMSID", "sms-" + id + "-sms").queryParam("RequestId", id + "-sms").queryParam("TypeId", "2")
                .queryParam("SendStatus", sendStatus).queryParam("SendSuccess", success).queryParam("SendFailed", failed)
                .queryParam("TotalPrice", price).queryParam("telcoid", "1").queryParam("phonenumber", "84912345678")
                .get(CALLBACK).then().statusCode(200);
    }

    /** eSMS's callback for the Zalo message (TypeId 26). */
    static void zaloCallback(String id, boolean delivered) {
        given().queryParam("SMSID", "zalo-" + id).queryParam("RequestId", id).queryParam("TypeId", "26")
                .queryParam("SendStatus", "5").queryParam("SendSuccess", delivered ? "1" : "0")
                .queryParam("SendFailed", delivered ? "0" : "1").queryParam("TotalPrice", delivered ? "300" : "0")
                .get(CALLBACK).then().statusCode(200);
    }

    /** NXCloud's delivered for the Zalo message (quoting the id eSMS answered). */
    static void zaloDelivered(String id) {
        String receipt = vn.zalogateway.support.Seeds.nxcloud("delivered")
                .replaceAll("\"requestId\"\\s*:\\s*\"[^\"]*\"", "\"requestId\": \"zalo-" + id + "\"");
        given().contentType("application/json").body(receipt).post("/v1/webhooks/nxcloud/test-nxcloud-secret").then().statusCode(200);
    }

    List<Map<String, Object>> events(String id) {
        return rows.query("select event_type, data->>'status' as status, data->>'reason' as reason, data->>'channel' as channel "
                + "from callback_events where subject_id = ?::uuid order by sequence", id);
    }

    // --- Trigger 1: the Zalo attempt FAILED -----------------------------------------------------------------

    @Test
    void aZaloRefusalSendsTheSmsOnceAndItsCallbacksDeliverTheMessage() {
        zaloAnswers("99");
        smsAccepts();
        String id = Messages.send(withFallback(Messages.message(), null));

        JsonPath submitted = awaitSms(id, "SUBMITTED");
        assertThat(submitted.getString("status")).as("in flight by SMS, never FAILED in between").isEqualTo("SUBMITTED");
        assertThat(submitted.getString("channel")).isEqualTo("sms");
        assertThat(submitted.getList("attempts.channel")).containsExactly("zalo", "sms");
        assertThat(submitted.getString("attempts[0].status")).isEqualTo("FAILED");
        assertThat(submitted.getString("attempts[0].error.code")).isEqualTo("99");
        assertThat(submitted.getString("attempts[1].reason")).isEqualTo("zalo_failed");
        assertThat(submitted.getInt("attempts[1].parts")).isEqualTo(1);
        assertThat(submitted.getString("attempts[1].provider_message_id")).isEqualTo("sms-" + id + "-sms");

        assertThat(smsRequests()).hasSize(1);
        JsonNode sms = body(smsRequests().get(0));
        assertThat(sms.get("RequestId").asText()).isEqualTo(id + "-sms");
        assertThat(sms.get("Phone").asText()).isEqualTo("84912345678");
        assertThat(sms.get("Content").asText()).isEqualTo(SMS_TEXT);
        assertThat(sms.get("Brandname").asText()).isEqualTo("SHOP-A");
        assertThat(sms.get("SmsType").asText()).isEqualTo("2");
        assertThat(sms.get("IsUnicode").asText()).isEqualTo("0");
        assertThat(sms.get("Sandbox").asText()).isEqualTo("0");
        assertThat(sms.get("CallbackUrl").asText()).isEqualTo(EsmsStub.CALLBACK_URL);
        assertThat(sms.get("ApiKey").asText()).isEqualTo(EsmsStub.API_KEY);

        smsCallback(id, "7", "0", "0", "0");
        assertThat(read(id).getString("status")).as("the carrier took it").isEqualTo("SENT");
        smsCallback(id, "5", "1", "0", "750");
        JsonPath delivered = read(id);
        assertThat(delivered.getString("status")).isEqualTo("DELIVERED");
        assertThat(delivered.getString("channel")).isEqualTo("sms");
        assertThat(delivered.getString("attempts[1].status")).isEqualTo("DELIVERED");
        assertThat(delivered.getDouble("attempts[1].cost.amount")).isEqualTo(750.0);
        assertThat(delivered.getString("attempts[1].cost.currency")).isEqualTo("VND");
        assertThat(rows.one("select item, amount = 750 as price from charges where message_id = ?::uuid", id))
                .containsEntry("item", "sms").containsEntry("price", true);

        assertThat(events(id)).extracting(event -> event.get("event_type") + " " + event.get("status") + " " + event.get("reason"))
                .containsExactly("message.status_changed SUBMITTED null", "message.fallback_sent SUBMITTED zalo_failed",
                        "message.status_changed SENT null", "message.status_changed DELIVERED null");
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> {
            assertThat(smsRequests()).as("one SMS, ever").hasSize(1);
            assertThat(zaloRequests()).as("a refusal is not repeated").hasSize(1);
        });
    }

    @Test
    void aFailedZaloCallbackSendsTheSmsAndTheMessageFailsOnlyWhenTheSmsFailsToo() {
        zaloAccepts();
        smsAccepts();
        String id = Messages.send(withFallback(Messages.message(), null));
        Messages.awaitStatus(id, "SUBMITTED");

        zaloCallback(id, false);
        JsonPath inFlight = awaitSms(id, "SUBMITTED");
        assertThat(inFlight.getString("status")).isEqualTo("SUBMITTED");
        assertThat(inFlight.getString("attempts[0].status")).isEqualTo("FAILED");

        smsCallback(id, "5", "0", "1", "0");
        JsonPath failed = read(id);
        assertThat(failed.getString("status")).isEqualTo("FAILED");
        assertThat(failed.getString("attempts[1].status")).isEqualTo("FAILED");
        assertThat(events(id)).extracting(event -> event.get("status")).as("FAILED once, at the end").containsOnlyOnce("FAILED")
                .last().isEqualTo("FAILED");
    }

    @Test
    void eSmsRefusingTheSmsFailsTheMessageWithEsmsCode() {
        zaloAnswers("99");
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND_SMS)).willReturn(esmsAnswer(
                "{\"CodeResult\": \"104\", \"ErrorMessage\": \"Brandname khong ton tai\"}")));
        String id = Messages.send(withFallback(Messages.message(), null));

        Messages.awaitStatus(id, "FAILED").then()
                .body("error.code", equalTo("104"))
                .body("attempts[1].status", equalTo("FAILED"))
                .body("attempts[1].error.code", equalTo("104"));
        assertThat(rows.one("select data->'error'->>'code' as code from callback_events where subject_id = ?::uuid "
                + "and data->>'status' = 'FAILED'", id)).containsEntry("code", "104");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(smsRequests()).as("a refusal is final").hasSize(1));
    }

    // --- Trigger 2: not DELIVERED within after --------------------------------------------------------------

    @Test
    void aMessageNotDeliveredWithinAfterFallsBackAndALateZaloDeliveryIsStillRecorded() {
        zaloAccepts();
        smsAccepts();
        String id = Messages.send(withFallback(Messages.message(), "PT15M"));
        Messages.awaitStatus(id, "SUBMITTED");
        Map<String, Object> due = rows.one("select fallback_due_at - submitted_at = interval '15 minutes' as after from messages "
                + "where id = ?::uuid", id);
        assertThat(due).as("the clock starts at the submission").containsEntry("after", true);

        assertThat(late()).as("not yet due").isZero();
        rows.update("update messages set fallback_due_at = now() - interval '1 second' where id = ?::uuid", id);
        assertThat(late()).isOne();
        JsonPath fellBack = awaitSms(id, "SUBMITTED");
        assertThat(fellBack.getString("attempts[1].reason")).isEqualTo("not_delivered_in_time");
        assertThat(fellBack.getString("attempts[0].status")).as("Zalo's attempt is still out").isEqualTo("SUBMITTED");

        zaloDelivered(id);
        JsonPath delivered = read(id);
        assertThat(delivered.getString("status")).isEqualTo("DELIVERED");
        assertThat(delivered.getString("channel")).as("the channel that delivered").isEqualTo("zalo");
        assertThat(delivered.getString("attempts[0].status")).isEqualTo("DELIVERED");
        assertThat(late()).as("decided once").isZero();
        assertThat(smsRequests()).hasSize(1);
    }

    @Test
    void aDeliveredMessageNeverFallsBack() {
        zaloAccepts();
        smsAccepts();
        String id = Messages.send(withFallback(Messages.message(), "PT1M"));
        Messages.awaitStatus(id, "SUBMITTED");
        zaloDelivered(id);
        rows.update("update messages set fallback_due_at = now() - interval '1 second' where id = ?::uuid", id);
        late();
        assertThat(read(id).getList("attempts")).hasSize(1);
        assertThat(read(id).getString("channel")).isEqualTo("zalo");
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).untilAsserted(() -> assertThat(smsRequests()).isEmpty());
    }

    @Test
    void messagesDeliveredInTimeNeverKeepALateOneFromFallingBack() {
        zaloAccepts();
        smsAccepts();
        // Nobody listens for callbacks in this test: a thousand deliveries need not knock at a closed port.
        forgetCallbackUrl();
        // More than a pick's worth of messages with an after, submitted before the late one, as the outbox leaves them...
        rows.update("""
                insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, zalo_status,
                    channel, provider_message_id, fallback_phone, fallback_text, fallback_brandname, fallback_unicode, fallback_parts,
                    fallback_after_ms, fallback_due_at, created_at, updated_at, submitted_at)
                select ?::uuid, id, ?, '1', 'transaction_order', 'VI', '{}', 'SUBMITTED', 'SUBMITTED', 'zalo', 'zalo-' || id,
                    '84912345678', ?, 'SHOP-A', false, 1, 60000, now() + interval '1 minute', now(), now(), now()
                from (select uuid_v7() as id from generate_series(1, ?)) ids""",
                Messages.DEFAULT_CONSUMER, Long.parseLong(Messages.OA_ID), SMS_TEXT, MessageLifecycle.PICK + 1);
        // ...and all delivered in time, by their receipts.
        List<String> onTime = rows.query("select id::text as id from messages").stream().map(row -> (String) row.get("id")).toList();
        ExecutorService receipts = Executors.newFixedThreadPool(16);
        try {
            CompletableFuture.allOf(onTime.stream().map(id -> CompletableFuture.runAsync(() -> zaloDelivered(id), receipts))
                    .toArray(CompletableFuture[]::new)).join();
        } finally {
            receipts.shutdown();
        }
        assertThat(rows.count("messages where status = 'DELIVERED'")).isEqualTo(onTime.size());

        String late = Messages.send(withFallback(Messages.message(), "PT1M"));
        Messages.awaitStatus(late, "SUBMITTED");
        // Two minutes pass: every after is over, and only the late message's Zalo attempt is still out.
        rows.update("update messages set fallback_due_at = fallback_due_at - interval '2 minutes'");
        late();

        JsonPath fellBack = awaitSms(late, "SUBMITTED");
        assertThat(fellBack.getString("attempts[1].reason")).isEqualTo("not_delivered_in_time");
        assertThat(rows.count("messages where fallback_due_at is not null"))
                .as("a message delivered (or fallen back) leaves the deadline's index").isZero();
        assertThat(smsRequests()).extracting(request -> body(request).get("RequestId").asText()).containsExactly(late + "-sms");
    }

    // --- Trigger 3: UNCONFIRMED ------------------------------------------------------------------------------

    @Test
    void anUnconfirmedZaloAttemptFallsBack() {
        zaloAccepts();
        smsAccepts();
        String id = Messages.send(withFallback(Messages.message(), null));
        Messages.awaitStatus(id, "SUBMITTED");
        rows.update("update messages set submitted_at = now() - interval '73 hours' where id = ?::uuid", id);

        assertThat(FreshContext.run(vertx, receiptWait::run).await().atMost(Duration.ofSeconds(10))).isOne();
        JsonPath fellBack = awaitSms(id, "SUBMITTED");
        assertThat(fellBack.getString("status")).isEqualTo("SUBMITTED");
        assertThat(fellBack.getString("attempts[0].status")).isEqualTo("UNCONFIRMED");
        assertThat(fellBack.getString("attempts[1].reason")).isEqualTo("unconfirmed");
        smsCallback(id, "5", "1", "0", "750");
        assertThat(read(id).getString("status")).isEqualTo("DELIVERED");
    }

    @Test
    void withoutAFallbackAnUnconfirmedMessageStaysUnconfirmedAndNoSmsGoes() {
        zaloAccepts();
        String id = Messages.send(Messages.message());
        Messages.awaitStatus(id, "SUBMITTED");
        rows.update("update messages set submitted_at = now() - interval '73 hours' where id = ?::uuid", id);
        FreshContext.run(vertx, receiptWait::run).await().atMost(Duration.ofSeconds(10));
        assertThat(read(id).getString("status")).isEqualTo("UNCONFIRMED");
        assertThat(smsRequests()).isEmpty();
    }

    // --- Trigger 4: the OA's quota is held -------------------------------------------------------------------

    @Test
    void aHeldOaSendsFallbacksBySmsAtOnceAndHoldsTheOthersUntilMidnight() {
        zaloAccepts();
        smsAccepts();
        quotaSpent();
        String withSms = Messages.send(withFallback(Messages.message(), null));
        String without = Messages.send(Messages.message());

        JsonPath fellBack = awaitSms(withSms, "SUBMITTED");
        assertThat(fellBack.getList("attempts.channel")).as("Zalo is never tried").containsExactly("sms");
        assertThat(fellBack.getString("attempts[0].reason")).isEqualTo("oa_quota_held");
        assertThat(fellBack.getString("channel")).isEqualTo("sms");

        String midnight = LocalDate.now(ZoneId.of("Asia/Ho_Chi_Minh")).plusDays(1) + "T00:00:00+07:00";
        JsonPath held = await().atMost(Messages.PATIENCE).until(() -> read(without), message -> message.get("held") != null);
        assertThat(held.getString("status")).isEqualTo("ACCEPTED");
        assertThat(held.getString("held.reason")).isEqualTo("oa_quota");
        assertThat(held.getString("held.until")).isEqualTo(midnight);
        assertThat(held.getString("due_at")).isEqualTo(midnight);
        TestKeys.consumer().get("/v1/oas/" + Messages.OA_ID + "/quota").then().statusCode(200)
                .body("remaining_quota", equalTo(0)).body("held_until", equalTo(midnight));
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(zaloRequests()).as("no busy loop against a spent quota").isEmpty());

        // A receipt that shows quota again releases the OA: the held message goes now.
        quotaSeen(5);
        Messages.awaitStatus(without, "SUBMITTED").then().body("held", nullValue());
        TestKeys.consumer().get("/v1/oas/" + Messages.OA_ID + "/quota").then().body("held_until", nullValue());
        assertThat(zaloRequests()).hasSize(1);
    }

    @Test
    void aProviderSayingTheQuotaIsSpentHoldsTheOaWithoutRetryingAndFallsBack() {
        zaloAnswers("801");
        smsAccepts();
        String without = Messages.send(Messages.message());
        JsonPath held = await().atMost(Messages.PATIENCE).until(() -> read(without), message -> message.get("held") != null);
        assertThat(held.getString("status")).isEqualTo("ACCEPTED");
        TestKeys.consumer().get("/v1/oas/" + Messages.OA_ID + "/quota").then().statusCode(200).body("remaining_quota", equalTo(0));

        String withSms = Messages.send(withFallback(Messages.message(), null));
        awaitSms(withSms, "SUBMITTED").getString("attempts[0].reason");
        assertThat(read(withSms).getString("attempts[0].reason")).isEqualTo("oa_quota_held");
        await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(2)).untilAsserted(() ->
                assertThat(zaloRequests()).as("the one answer that said so; nothing after").hasSize(1));
    }

    @Test
    void aHeldMessageWithASendWindowIsDueAtItsOpeningAfterTheHoldNotAtMidnight() {
        awayFromMidnight();
        // A window that holds now and leaves out midnight: the message is claimed now, and held.
        LocalTime from = LocalTime.now(SendWindow.VIETNAM).minusMinutes(1).truncatedTo(ChronoUnit.MINUTES);
        LocalDate tomorrow = LocalDate.now(SendWindow.VIETNAM).plusDays(1);
        zaloAnswers("801");

        // The first is held by the provider's answer that the quota is spent, the second by the hold that answer started.
        String byAnswer = Messages.send(withWindow(Messages.message(), from));
        JsonPath first = awaitHeld(byAnswer);
        String byHold = Messages.send(withWindow(Messages.message(), from));
        JsonPath second = awaitHeld(byHold);

        for (JsonPath held : List.of(first, second)) {
            assertThat(held.getString("held.until")).as("the hold ends at midnight").isEqualTo(tomorrow + "T00:00:00+07:00");
            assertThat(held.getString("due_at")).as("the message goes when its window opens after it")
                    .isEqualTo(tomorrow + "T" + from.format(DateTimeFormatter.ofPattern("HH:mm")) + ":00+07:00");
        }
        assertThat(zaloRequests()).as("only the first was offered to Zalo").hasSize(1);
    }

    @Test
    void aHoldFromBeforeTodaysResetLetsItsMessagesGo() {
        zaloAccepts();
        quotaSpent();
        String id = Messages.send(Messages.message());
        awaitHeld(id);

        // Vietnam's midnight passes: the OA's reading of 0 is from yesterday now, and the hold (the message's due time with
        // it) ended at today's reset.
        rows.update("update oa_quotas set reported_at = " + LAST_RESET + " - interval '1 minute' where oa_id = ?",
                Long.parseLong(Messages.OA_ID));
        rows.update("update messages set due_at = " + LAST_RESET + ", held_until = " + LAST_RESET + " where id = ?::uuid", id);
        TestKeys.consumer().get("/v1/oas/" + Messages.OA_ID + "/quota").then().statusCode(200)
                .body("remaining_quota", equalTo(0)).body("held_until", nullValue());

        Messages.awaitStatus(id, "SUBMITTED").then().body("held", nullValue());
        assertThat(zaloRequests()).hasSize(1);
    }

    /** Vietnam's last daily reset: today's 00:00 in Asia/Ho_Chi_Minh, as SQL. */
    static final String LAST_RESET = "(date_trunc('day', now() at time zone 'Asia/Ho_Chi_Minh') at time zone 'Asia/Ho_Chi_Minh')";

    static ObjectNode withWindow(ObjectNode message, LocalTime from) {
        message.putObject("send_window").put("from", from.format(DateTimeFormatter.ofPattern("HH:mm"))).put("to", "23:59");
        return message;
    }

    static JsonPath awaitHeld(String id) {
        return await().atMost(Messages.PATIENCE).until(() -> read(id), message -> message.get("held") != null);
    }

    /**
     * Waits out the minutes around Vietnam's midnight, when a window from a minute ago to 23:59 would not hold now, or would
     * hold midnight.
     */
    static void awayFromMidnight() {
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            LocalTime now = LocalTime.now(SendWindow.VIETNAM);
            return now.isAfter(LocalTime.of(0, 2)) && now.isBefore(LocalTime.of(23, 56));
        });
    }

    /** The OA's latest quota reading: none left, reported now. */
    void quotaSpent() {
        rows.update("insert into oa_quotas (oa_id, remaining_quota, daily_quota, reported_at, source) values (?, 0, 100, now(), 'receipt')",
                Long.parseLong(Messages.OA_ID));
    }

    /** An NXCloud success about an earlier message of the OA, reporting quota left. */
    void quotaSeen(int remaining) {
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, zalo_status, "
                + "nxcloud_request_id, created_at, updated_at, submitted_at) values (?::uuid, uuid_v7(), ?, '1', 'transaction_order', 'VI', '{}', "
                + "'SUBMITTED', 'SUBMITTED', 'zalomid.quota', now(), now(), now())", Messages.DEFAULT_CONSUMER, Long.parseLong(Messages.OA_ID));
        String receipt = vn.zalogateway.support.Seeds.nxcloud("success")
                .replaceAll("\"requestId\"\\s*:\\s*\"[^\"]*\"", "\"requestId\": \"zalomid.quota\"")
                .replaceAll("\"remainingQuota\"\\s*:\\s*\"[^\"]*\"", "\"remainingQuota\": \"" + remaining + "\"")
                .replaceAll("\"sent_time\"\\s*:\\s*\"[^\"]*\"", "\"sent_time\": \"" + System.currentTimeMillis() + "\"");
        given().contentType("application/json").body(receipt).post("/v1/webhooks/nxcloud/test-nxcloud-secret").then().statusCode(200);
    }

    // --- Once, ever -------------------------------------------------------------------------------------------

    @Test
    void anSmsWhoseAnswerWasLostGoesAgainOnlyUnderTheSameRequestId() {
        zaloAnswers("99");
        // The first SMS call times out (it may have reached eSMS); eSMS drops the repeat of its RequestId.
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND_SMS)).inScenario("lost").whenScenarioStateIs("Started")
                .willReturn(esmsAnswer("{\"CodeResult\": \"100\", \"SMSID\": \"sms-late\"}").withFixedDelay(4_000))
                .willSetStateTo("answered"));
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND_SMS)).inScenario("lost").whenScenarioStateIs("answered")
                .willReturn(esmsAnswer("{\"CodeResult\": \"124\", \"ErrorMessage\": \"Duplicate RequestId\"}")));
        String id = Messages.send(withFallback(Messages.message(), null));

        JsonPath submitted = awaitSms(id, "SUBMITTED");
        assertThat(submitted.getString("attempts[1].provider_message_id")).as("124 without an SMSID: the callback brings it").isNull();
        assertThat(smsRequests()).extracting(request -> body(request).get("RequestId").asText()).hasSizeGreaterThanOrEqualTo(2)
                .containsOnly(id + "-sms");
        given().queryParam("SMSID", "sms-late").queryParam("RequestId", id + "-sms").queryParam("TypeId", "2")
                .queryParam("SendStatus", "5").queryParam("SendSuccess", "1").queryParam("SendFailed", "0")
                .queryParam("TotalPrice", "750").get(CALLBACK).then().statusCode(200);
        assertThat(read(id).getString("attempts[1].provider_message_id")).isEqualTo("sms-late");
        assertThat(read(id).getString("status")).isEqualTo("DELIVERED");
    }

    @Test
    void racingDispatchRoundsSendEachSmsOnce() {
        zaloAnswers("99");
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND_SMS)).willReturn(esmsAnswer(
                "{\"CodeResult\": \"100\", \"SMSID\": \"sms-{{jsonPath request.body '$.RequestId'}}\"}").withTransformers("response-template")
                .withFixedDelay(150)));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(Messages.send(withFallback(Messages.message(), null)));
        }
        List<Uni<Integer>> rounds = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            rounds.add(FreshContext.run(vertx, dispatcher::drain));
        }
        Uni.join().all(rounds).andFailFast().await().atMost(Duration.ofSeconds(30));
        await().atMost(Messages.PATIENCE).untilAsserted(() -> assertThat(rows.count(
                "messages where sms_status = 'SUBMITTED'")).isEqualTo(ids.size()));
        assertThat(smsRequests()).extracting(request -> body(request).get("RequestId").asText())
                .as("each message's SMS once").containsExactlyInAnyOrderElementsOf(ids.stream().map(id -> id + "-sms").toList());
        assertThat(rows.count("callback_events where event_type = 'message.fallback_sent'")).isEqualTo(ids.size());
    }

    @Test
    void aSandboxMessageFallsBackInSandbox() {
        zaloAnswers("99");
        smsAccepts();
        String id = Messages.send(withFallback(Messages.message(), null).put("sandbox", true));
        awaitSms(id, "SUBMITTED");
        assertThat(body(smsRequests().get(0)).get("Sandbox").asText()).isEqualTo("1");
    }

    @Test
    void aJourneyMessageFallsBackToItsOwnPhoneWhenTheSmsNamesNone() {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(EtelecomStub.CREATED_JOURNEY)));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(EtelecomStub.REFUSED_ZNS_JOURNEY)));
        smsAccepts();
        ObjectNode message = Messages.journeyMessage();
        message.putObject("fallback").putObject("sms").put("text", "Đơn hàng DH-001 đang giao").put("brandname", "SHOP-A");
        String id = Messages.send(message);

        JsonPath fellBack = awaitSms(id, "SUBMITTED");
        assertThat(fellBack.getString("fallback.sms.phone")).isEqualTo("84912345678");
        assertThat(fellBack.getBoolean("fallback.sms.unicode")).isTrue();
        JsonNode sms = body(smsRequests().get(0));
        assertThat(sms.get("Phone").asText()).isEqualTo("84912345678");
        assertThat(sms.get("IsUnicode").asText()).isEqualTo("1");
    }

    // --- Bad input ----------------------------------------------------------------------------------------------

    @Test
    void everyWrongFallbackFieldIsNamedAtOnce() {
        ObjectNode message = Messages.message();
        ObjectNode fallback = message.putObject("fallback");
        fallback.putObject("sms").put("text", "x".repeat(613)).put("colour", "red");
        fallback.put("after", "PT30S");
        message.put("fallbak", true);
        TestKeys.consumer().body(message.toString()).post("/v1/messages").then().statusCode(400)
                .body("violations.field", containsInAnyOrder("fallbak", "fallback.sms.colour", "fallback.sms.text",
                        "fallback.sms.phone", "fallback.sms.brandname", "fallback.after"));

        // Without an sms (or with one that is no object), after is checked all the same.
        ObjectNode noSms = Messages.message();
        noSms.putObject("fallback").put("after", "PT1S");
        TestKeys.consumer().body(noSms.toString()).post("/v1/messages").then().statusCode(400)
                .body("violations.field", containsInAnyOrder("fallback.sms", "fallback.after"));
        ObjectNode smsNoObject = Messages.message();
        smsNoObject.putObject("fallback").put("sms", PHONE).put("after", "P2D").put("colour", "red");
        TestKeys.consumer().body(smsNoObject.toString()).post("/v1/messages").then().statusCode(400)
                .body("violations.field", containsInAnyOrder("fallback.colour", "fallback.sms", "fallback.after"));
        assertThat(rows.count("messages")).as("nothing stored").isZero();
    }

    @Test
    void anSmsTextIsCountedInPartsOfItsAlphabet() {
        ObjectNode gsm = withFallback(Messages.message(), null);
        ((ObjectNode) gsm.get("fallback").get("sms")).put("text", "x".repeat(612));
        String id = Messages.send(gsm);
        assertThat(read(id).getInt("fallback.sms.parts")).isEqualTo(4);

        ObjectNode unicode = withFallback(Messages.message(), null);
        ((ObjectNode) unicode.get("fallback").get("sms")).put("text", "đ".repeat(269));
        TestKeys.consumer().body(unicode.toString()).post("/v1/messages").then().statusCode(400)
                .body("violations", hasSize(1)).body("violations[0].field", equalTo("fallback.sms.text"));
        ((ObjectNode) unicode.get("fallback").get("sms")).put("text", "đ".repeat(268));
        assertThat(read(Messages.send(unicode)).getInt("fallback.sms.parts")).isEqualTo(4);
    }

    @Test
    void anUnknownFieldIsRefusedNotIgnored() {
        ObjectNode message = Messages.message().put("fall_back", "sms");
        TestKeys.consumer().body(message.toString()).post("/v1/messages").then().statusCode(400)
                .body("violations", hasSize(1)).body("violations[0].field", equalTo("fall_back"));
    }

    int late() {
        return FreshContext.run(vertx, receiptWait::late).await().atMost(Duration.ofSeconds(10));
    }
}
