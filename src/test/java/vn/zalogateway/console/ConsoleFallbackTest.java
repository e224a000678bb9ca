package vn.zalogateway.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import vn.zalogateway.common.Ids;
import vn.zalogateway.support.ConsoleSignIn;
import vn.zalogateway.support.ConsoleSignIn.Browser;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Rows;

/**
 * The console's part of contract v1.3, over rows as the gateway writes them: a message that fell back to an SMS shows
 * both attempts, the fallback filter finds such messages (its scan bounded, paging on past it), CANCELLED is a status
 * like the others, an OA's quota hold is on the overview, and a callback names the status it carried apart from
 * whether it reached the consumer.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ConsoleFallbackTest {

    static final String DEFAULT_CONSUMER = "00000000-0000-7000-8000-000000000001";
    static final long OA = 3041812345605770721L;
    static final ZoneId VIETNAM = ZoneId.of("Asia/Ho_Chi_Minh");
    static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(VIETNAM);

    @Inject
    AgroalDataSource dataSource;

    Rows rows;
    Browser viewer;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("receipts", "charges", "oa_quotas", "callback_events", "messages", "console_sign_in_attempts");
        viewer = ConsoleSignIn.as(ConsoleSignIn.VIEWER, ConsoleSignIn.VIEWER_PASSWORD);
    }

    @Test
    void aMessageThatFellBackShowsItsZaloAttemptAndItsSms() {
        Instant submitted = Instant.now().minus(Duration.ofMinutes(20)).truncatedTo(ChronoUnit.SECONDS);
        Instant smsSubmitted = submitted.plus(Duration.ofMinutes(5));
        UUID id = message("DELIVERED", columns("zalo_status", "FAILED", "channel", "sms", "provider_message_id", "zalo-smsid-1",
                "submitted_at", at(submitted), "error_code", "17004", "error_message", "Zalo send error", "error_class",
                "recipient_unreachable", "fallback_phone", "84912345678", "fallback_text", "Don hang DH-001 dang giao",
                "fallback_brandname", "SHOP-A", "fallback_unicode", false, "fallback_parts", 1, "sms_status", "DELIVERED",
                "sms_reason", "zalo_failed", "sms_provider_message_id", "sms-777", "sms_submitted_at", at(smsSubmitted),
                "sms_attempts", 1));
        receipt(id, "nxcloud", "failed", 17004, false, null, submitted.plusSeconds(30));
        receipt(id, "esms", "DELIVERED", 5, true, "350", smsSubmitted.plusSeconds(30));
        charge(id, "sms", "esms", "350");
        charge(id, "message", "nxcloud", "0.0123");

        String page = viewer.request().get("/console/messages/" + id).then().statusCode(200).extract().asString();
        assertThat(text(page, "message-status")).isEqualTo("DELIVERED");
        assertThat(text(page, "message-channel")).isEqualTo("sms");
        assertThat(text(page, "zalo-status")).contains("FAILED");
        assertThat(text(page, "message-error")).contains("17004", "recipient_unreachable");
        assertThat(text(page, "zalo-cost")).isEqualTo("0.0123 USD");
        // the SMS: its own attempt, the phone masked as in the logs (84******678), never whole
        assertThat(text(page, "sms-status")).contains("DELIVERED");
        assertThat(text(page, "sms-reason")).isEqualTo("zalo_failed");
        assertThat(text(page, "sms-phone")).isEqualTo("84******678");
        assertThat(page).doesNotContain("84912345678");
        assertThat(text(page, "sms-brandname")).isEqualTo("SHOP-A");
        assertThat(text(page, "sms-text")).isEqualTo("Don hang DH-001 dang giao");
        assertThat(text(page, "sms-parts")).isEqualTo("1");
        assertThat(text(page, "sms-id")).isEqualTo("sms-777");
        assertThat(text(page, "sms-cost")).isEqualTo("350 VND");
        assertThat(page).doesNotContain("id=\"sms-error\"");

        // each attempt and each receipt on its channel, in the order they happened
        inOrder(timeline(page),
                LOCAL.format(submitted) + " Zalo eSMS SendZaloFollowerMessage SMSID zalo-smsid-1",
                LOCAL.format(submitted.plusSeconds(30)) + " Zalo nxcloud failed code 17004",
                LOCAL.format(smsSubmitted) + " SMS eSMS SendMultipleMessage_V4 fallback (zalo_failed) · 1 part(s) · SMSID sms-777",
                LOCAL.format(smsSubmitted.plusSeconds(30)) + " SMS esms DELIVERED SendStatus 5 · 350 VND");
    }

    @Test
    void anSmsRefusedBeforeEsmsTookItShowsItsError() {
        UUID id = message("FAILED", columns("zalo_status", "FAILED", "channel", "sms", "error_code", "-118", "error_message",
                "Zalo account not existed", "fallback_phone", "84987654321", "fallback_text", "Ma OTP 123456", "fallback_brandname",
                "SHOP-A", "fallback_unicode", false, "fallback_parts", 1, "sms_status", "FAILED", "sms_reason", "zalo_failed",
                "sms_error_code", "99", "sms_error_message", "Brandname not registered", "sms_error_class", "account",
                "sms_attempts", 1));
        String page = viewer.request().get("/console/messages/" + id).then().statusCode(200).extract().asString();
        assertThat(text(page, "message-status")).isEqualTo("FAILED");
        assertThat(text(page, "sms-status")).contains("FAILED");
        assertThat(text(page, "sms-error")).isEqualTo("99: Brandname not registered [account]");
        assertThat(text(page, "sms-phone")).isEqualTo("84******321");
        assertThat(text(page, "sms-id")).isEmpty();
        assertThat(timeline(page)).anyMatch(event -> event.contains(" SMS FAILED fallback (zalo_failed) · 1 part(s) · 99 Brandname not registered"));
    }

    @Test
    void aFallbackNotNeededYetAndACancelledMessageReadRight() {
        UUID waiting = message("SUBMITTED", columns("zalo_status", "SUBMITTED", "channel", "zalo", "submitted_at", at(Instant.now()),
                "fallback_phone", "84912345678", "fallback_text", "Don hang DH-002", "fallback_brandname", "SHOP-A", "fallback_unicode",
                false, "fallback_parts", 1, "fallback_after_ms", 900_000L));
        String page = viewer.request().get("/console/messages/" + waiting).then().statusCode(200).extract().asString();
        assertThat(text(page, "sms-status")).isEqualTo("chưa cần gửi");
        assertThat(page).contains("<dt>after</dt><dd>PT15M</dd>");
        assertThat(timeline(page)).noneMatch(event -> event.contains(" SMS "));

        UUID cancelled = message("CANCELLED", columns("window_from", java.sql.Time.valueOf("07:00:00"), "window_to",
                java.sql.Time.valueOf("22:00:00")));
        page = viewer.request().get("/console/messages/" + cancelled).then().statusCode(200).extract().asString();
        assertThat(text(page, "message-status")).isEqualTo("CANCELLED");
        assertThat(text(page, "message-channel")).isEqualTo("–");
        assertThat(text(page, "zalo-status")).isEqualTo("chưa gửi qua Zalo");
        assertThat(text(page, "send-window")).isEqualTo("07:00–22:00");
        assertThat(page).doesNotContain("id=\"sms\"");
        assertThat(timeline(page)).last().asString().contains("CANCELLED taken back by its consumer before it was sent");

        String list = viewer.request().get("/console/messages?status=CANCELLED").then().statusCode(200).extract().asString();
        assertThat(list).contains("<option selected>CANCELLED</option>", "/console/messages/" + cancelled)
                .doesNotContain("/console/messages/" + waiting);
        String overview = viewer.request().get("/console").then().statusCode(200).extract().asString();
        assertThat(overview).contains("<a class=\"tile status-CANCELLED\" href=\"/console/messages?status=CANCELLED\"><span class=\"n\">1</span>");
    }

    @Test
    void aCallbackSaysTheStatusItCarriedApartFromWhetherItReachedTheConsumer() {
        UUID id = message("DELIVERED", columns("zalo_status", "DELIVERED", "channel", "zalo", "submitted_at", at(Instant.now())));
        Instant delivered = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Instant nextTry = delivered.plus(Duration.ofDays(1));
        callback(id, 1, "message.status_changed", "{\"status\": \"SUBMITTED\"}", "DELIVERED", 1, at(delivered), null);
        callback(id, 2, "message.fallback_sent", "{\"status\": \"SUBMITTED\", \"reason\": \"not_delivered_in_time\"}", "PENDING", 1,
                null, at(nextTry));
        callback(id, 3, "message.status_changed", "{\"status\": \"DELIVERED\"}", "FAILED", 8, null, null);

        String page = viewer.request().get("/console/messages/" + id).then().statusCode(200).extract().asString();
        List<String> timeline = timeline(page);
        assertThat(timeline).anyMatch(event -> event.endsWith(" callback #1 message.status_changed → SUBMITTED delivered to default at "
                + LOCAL.format(delivered) + " · 1 attempt(s)"));
        assertThat(timeline).anyMatch(event -> event.endsWith(" callback #2 message.fallback_sent → SMS (not_delivered_in_time) "
                + "not yet delivered to default (PENDING, next try " + LOCAL.format(nextTry) + ") · 1 attempt(s)"));
        assertThat(timeline).anyMatch(event -> event.endsWith(" callback #3 message.status_changed → DELIVERED not delivered to default "
                + "(FAILED: gave up) · 8 attempt(s)"));
        assertThat(page).doesNotContain("message.status_changed</strong> <span>default · DELIVERED");

        String deliveries = viewer.request().get("/console/consumers/" + DEFAULT_CONSUMER).then().statusCode(200).extract().asString();
        assertThat(deliveries).contains("message.status_changed #1 → SUBMITTED", "message.fallback_sent #2 → SMS (not_delivered_in_time)");
    }

    @Test
    void theFallbackFilterFindsMessagesThatFellBackWithTheOtherFilters() {
        UUID delivered = message("DELIVERED", fellBack("DELIVERED", "zalo_failed"));
        UUID failed = message("FAILED", fellBack("FAILED", "unconfirmed"));
        UUID zaloOnly = message("DELIVERED", columns("zalo_status", "DELIVERED", "channel", "zalo"));
        UUID askedButNotNeeded = message("DELIVERED", columns("zalo_status", "DELIVERED", "channel", "zalo", "fallback_phone",
                "84912345678", "fallback_text", "x", "fallback_unicode", false, "fallback_parts", 1));

        String all = viewer.request().get("/console/messages?fallback=sms").then().statusCode(200).extract().asString();
        assertThat(listed(all)).containsExactlyInAnyOrder(failed, delivered);
        assertThat(all).contains("id=\"fallback-filter\" checked", "<span class=\"channel channel-sms\">SMS FAILED</span>")
                .doesNotContain("id=\"fallback-scanned\"", "id=\"next-page\"");
        String onlyFailed = viewer.request().get("/console/messages?fallback=sms&status=FAILED").then().statusCode(200).extract().asString();
        assertThat(listed(onlyFailed)).containsExactly(failed);
        String without = viewer.request().get("/console/messages").then().statusCode(200).extract().asString();
        assertThat(listed(without)).containsExactlyInAnyOrder(delivered, failed, zaloOnly, askedButNotNeeded);
        String wrong = viewer.request().get("/console/messages?fallback=yes").then().statusCode(200).extract().asString();
        assertThat(text(wrong, "search-problem")).isEqualTo("fallback: sms or nothing");
        assertThat(listed(wrong)).isEmpty();
    }

    @Test
    void theFallbackFilterLooksAtABoundedNumberOfMessagesAndPagesOnPastThem() {
        // two old fallbacks, then one among the newest ConsoleQueries.FALLBACK_SCAN messages: the first page looks no further
        long base = Instant.now().minus(Duration.ofHours(1)).toEpochMilli();
        UUID oldest = message(idAt(base - 2000, 0), "DELIVERED", fellBack("DELIVERED", "zalo_failed"));
        UUID older = message(idAt(base - 1000, 0), "DELIVERED", fellBack("DELIVERED", "not_delivered_in_time"));
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, zalo_status, "
                + "channel, created_at, updated_at) select ?::uuid, (lpad(to_hex(? + i), 12, '0') || '70008000' || lpad(to_hex(i), 12, '0'))::uuid, "
                + "?, '42', 'transaction_order', 'VI', '{}', 'DELIVERED', 'DELIVERED', 'zalo', now(), now() "
                + "from generate_series(1, ?) i", DEFAULT_CONSUMER, base, OA, ConsoleQueries.FALLBACK_SCAN);
        UUID found = idAt(base + 5000, 5000);
        rows.update("update messages set sms_status = 'DELIVERED', sms_reason = 'zalo_failed', channel = 'sms', fallback_phone = '84912345678', "
                + "fallback_text = 'x', fallback_unicode = false, fallback_parts = 1 where id = ?::uuid", found.toString());

        String first = viewer.request().get("/console/messages?fallback=sms").then().statusCode(200).extract().asString();
        assertThat(listed(first)).containsExactly(found);
        UUID lastScanned = idAt(base + 1, 1);
        assertThat(text(first, "fallback-scanned")).contains(Integer.toString(ConsoleQueries.FALLBACK_SCAN),
                LOCAL.format(Instant.ofEpochMilli(base + 1)));
        String next = nextPage(first);
        assertThat(next).isEqualTo("/console/messages?fallback=sms&before=" + lastScanned);

        String second = viewer.request().urlEncodingEnabled(false).get(next).then().statusCode(200).extract().asString();
        assertThat(listed(second)).containsExactly(older, oldest);
        assertThat(second).doesNotContain("id=\"fallback-scanned\"", "id=\"next-page\"");
    }

    @Test
    void theOverviewShowsEachOasQuotaHoldAndTheMessagesItHolds() {
        rows.update("insert into oa_quotas (oa_id, remaining_quota, daily_quota, reported_at, source) values (777, 0, 5000, now(), 'provider'), "
                + "(888, 12, 5000, now(), 'receipt')");
        UUID held = null;
        for (String status : List.of("ACCEPTED", "ACCEPTED", "SCHEDULED")) {
            held = Ids.next();
            rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, due_at, "
                    + "held_until, created_at, updated_at) values (?::uuid, ?::uuid, 777, '42', 'transaction_order', 'VI', '{}', ?, "
                    + "oa_held_until(777), oa_held_until(777), now(), now())", DEFAULT_CONSUMER, held.toString(), status);
        }
        // waiting, but for its send window, not the hold; and another OA's
        message(777, "ACCEPTED", columns("due_at", at(Instant.now().plus(Duration.ofHours(3)))));
        message(888, "SCHEDULED", columns("due_at", at(Instant.now().plus(Duration.ofHours(3)))));

        String overview = viewer.request().get("/console").then().statusCode(200).extract().asString();
        String midnight = LocalDate.now(VIETNAM).plusDays(1) + " 00:00:00";
        assertThat(quotaRow(overview, "777")).contains("<td class=\"hold\"><span class=\"status status-FAILED\">đến " + midnight + "</span></td>",
                "<td class=\"held-messages\">3</td>");
        assertThat(quotaRow(overview, "888")).contains("<td class=\"hold\">không</td>", "<td class=\"held-messages\">0</td>");

        String page = viewer.request().get("/console/messages/" + held).then().statusCode(200).extract().asString();
        assertThat(text(page, "message-status")).isEqualTo("SCHEDULED");
        assertThat(text(page, "message-held")).isEqualTo("đến " + midnight);
        assertThat(text(page, "message-due")).isEqualTo(midnight);
    }

    // --- rows as the gateway writes them ------------------------------------------------------------------

    static Map<String, Object> columns(Object... pairs) {
        Map<String, Object> columns = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            columns.put((String) pairs[i], pairs[i + 1]);
        }
        return columns;
    }

    static Map<String, Object> fellBack(String smsStatus, String reason) {
        return columns("zalo_status", "FAILED", "channel", "sms", "fallback_phone", "84912345678", "fallback_text", "SMS text",
                "fallback_brandname", "SHOP-A", "fallback_unicode", false, "fallback_parts", 1, "sms_status", smsStatus, "sms_reason", reason);
    }

    UUID message(String status, Map<String, Object> columns) {
        return message(Ids.next(), OA, status, columns);
    }

    UUID message(long oa, String status, Map<String, Object> columns) {
        return message(Ids.next(), oa, status, columns);
    }

    UUID message(UUID id, String status, Map<String, Object> columns) {
        return message(id, OA, status, columns);
    }

    UUID message(UUID id, long oa, String status, Map<String, Object> columns) {
        StringBuilder names = new StringBuilder();
        StringBuilder values = new StringBuilder();
        List<Object> parameters = new ArrayList<>(List.of(DEFAULT_CONSUMER, id.toString(), oa, status));
        columns.forEach((name, value) -> {
            names.append(", ").append(name);
            values.append(", ?");
            parameters.add(value);
        });
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, created_at, "
                + "updated_at" + names + ") values (?::uuid, ?::uuid, ?, '42', 'transaction_order', 'VI', '{}', ?, now(), now()" + values + ")",
                parameters.toArray());
        return id;
    }

    /** A UUIDv7 made at that millisecond, its random part n (the console pages by the time-ordered id). */
    static UUID idAt(long epochMillis, long n) {
        return new UUID((epochMillis << 16) | 0x7000L, 0x8000_0000_0000_0000L | n);
    }

    /** Events that start so, in this order (others between them). */
    static void inOrder(List<String> events, String... starts) {
        int from = 0;
        for (String start : starts) {
            int at = from;
            while (at < events.size() && !events.get(at).startsWith(start)) {
                at++;
            }
            assertThat(at).as("an event starting %s after the one before, in %s", start, events).isLessThan(events.size());
            from = at + 1;
        }
    }

    void receipt(UUID message, String provider, String status, int code, boolean sms, String cost, Instant at) {
        rows.update("insert into receipts (provider, natural_key, valid, status, code, request_id, cost_currency, cost_amount, raw_body, "
                + "message_ref, applied_at, received_at, sms) values (?, ?, true, ?, ?, ?, ?, ?::numeric, '{}', ?::uuid, now(), ?, ?)",
                provider, UUID.randomUUID().toString(), status, code, sms ? "sms-777" : "zalo-smsid-1", cost == null ? null : "VND",
                cost, message.toString(), at(at), sms);
    }

    void charge(UUID message, String item, String provider, String amount) {
        rows.update("insert into charges (consumer_id, oa_id, subject_id, item, message_id, provider, source, currency, amount, occurred_at, "
                + "of_record) values (?::uuid, ?, ?::uuid, ?, ?::uuid, ?, 'receipt', ?, ?::numeric, now(), true)", DEFAULT_CONSUMER, OA,
                message.toString(), item, message.toString(), provider, item.equals("sms") ? "VND" : "USD", amount);
    }

    void callback(UUID message, int sequence, String type, String data, String status, int attempts, Timestamp deliveredAt,
            Timestamp nextAttemptAt) {
        rows.update("insert into callback_events (id, consumer_id, event_type, subject_id, sequence, data, status, attempts, delivered_at, "
                + "next_attempt_at, created_at, updated_at) values (?::uuid, ?::uuid, ?, ?::uuid, ?, ?::jsonb, ?, ?, ?, ?, now(), now())",
                Ids.next().toString(), DEFAULT_CONSUMER, type, message.toString(), sequence, data, status, attempts, deliveredAt,
                nextAttemptAt);
    }

    static Timestamp at(Instant instant) {
        return Timestamp.from(instant);
    }

    // --- what the pages show --------------------------------------------------------------------------------

    /** The text of the element with that id (tags dropped, entities of the test data unescaped). */
    static String text(String page, String id) {
        Matcher element = Pattern.compile("id=\"" + id + "\"[^>]*>(.*?)</(dd|p|pre|span)>", Pattern.DOTALL).matcher(page);
        assertThat(element.find()).as("an element with id %s", id).isTrue();
        return plain(element.group(1));
    }

    /** Each timeline event as a line of text: time, channel, title, detail. */
    static List<String> timeline(String page) {
        Matcher list = Pattern.compile("<ol class=\"timeline\" id=\"timeline\">(.*?)</ol>", Pattern.DOTALL).matcher(page);
        assertThat(list.find()).isTrue();
        List<String> events = new ArrayList<>();
        Matcher item = Pattern.compile("<li[^>]*>(.*?)</li>", Pattern.DOTALL).matcher(list.group(1));
        while (item.find()) {
            events.add(plain(item.group(1).replaceAll("(?s)<details>.*?</details>", "")));
        }
        return events;
    }

    static List<UUID> listed(String page) {
        Matcher link = Pattern.compile("<td><a href=\"/console/messages/([0-9a-f-]{36})\">").matcher(page);
        List<UUID> ids = new ArrayList<>();
        while (link.find()) {
            ids.add(UUID.fromString(link.group(1)));
        }
        return ids;
    }

    static String nextPage(String page) {
        Matcher next = Pattern.compile("id=\"next-page\" href=\"([^\"]+)\"").matcher(page);
        assertThat(next.find()).as("a link to the next page").isTrue();
        return next.group(1).replace("&amp;", "&");
    }

    static String quotaRow(String page, String oa) {
        Matcher row = Pattern.compile("<tr data-oa=\"" + oa + "\">(.*?)</tr>", Pattern.DOTALL).matcher(page);
        assertThat(row.find()).as("the quota row of OA %s", oa).isTrue();
        return row.group(1);
    }

    static String plain(String html) {
        return html.replaceAll("<[^>]+>", "").replace("&amp;", "&").replace("&#39;", "'").replace("&quot;", "\"")
                .replaceAll("\\s+", " ").trim();
    }
}
