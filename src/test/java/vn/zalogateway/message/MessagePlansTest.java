package vn.zalogateway.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import vn.zalogateway.support.TestDatabase;

/**
 * The fallback's triggers and the outboxes never scan: on a table of a million messages with a production-like mix
 * (most delivered long ago, a few thousand in flight, waiting, held or falling back), analysed, each statement the
 * jobs and receipts run is planned as an index lookup, both as a fresh statement (a custom plan for its parameters)
 * and once PostgreSQL has cached it (a generic plan).
 */
class MessagePlansTest {

    static final String DATABASE = "zalo_gateway_plans";
    static final int MESSAGES = 1_000_000;

    static Connection connection;

    @BeforeAll
    static void aMillionMessages() throws SQLException {
        TestDatabase.recreateMigrated(DATABASE);
        connection = TestDatabase.connect(DATABASE);
        try (Statement statement = connection.createStatement()) {
            // i % 1000 decides each message's place in the mix: 0-9 in flight on Zalo (SUBMITTED), 10-11 falling back by
            // SMS, 12-13 waiting in the outbox (one in ten held), 14-29 failed, the rest delivered.
            statement.execute("""
                    insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, zalo_status,
                        sms_status, sms_reason, sms_submitted_at, sms_due_at, channel, fallback_phone, fallback_text, fallback_parts,
                        fallback_due_at, provider_message_id, zalo_msg_id, nxcloud_request_id, sms_provider_message_id, due_at,
                        held_until, created_at, updated_at, submitted_at)
                    select '00000000-0000-7000-8000-000000000001', gen_random_uuid(), 3041812345605770000 + i %% 50, (i %% 200000)::text,
                        'transaction_order', 'VI', '{}',
                        case when m < 10 then 'SUBMITTED' when m < 12 then 'SUBMITTED' when m < 14 then 'ACCEPTED'
                             when m < 30 then 'FAILED' else 'DELIVERED' end,
                        case when m < 10 then 'SUBMITTED' when m < 12 then 'FAILED' when m < 14 then null
                             when m < 30 then 'FAILED' else 'DELIVERED' end,
                        case when m = 10 then 'SUBMITTED' when m = 11 then 'PENDING' when m < 30 and m >= 14 and i %% 7 = 0 then 'FAILED' end,
                        case when m in (10, 11) or (m >= 14 and m < 30 and i %% 7 = 0) then 'zalo_failed' end,
                        case when m = 10 then at + interval '1 minute' end,
                        case when m = 11 then at + interval '1 minute' end,
                        case when m < 14 then case when m in (10, 11) then 'sms' when m < 10 then 'zalo' end
                             else 'zalo' end,
                        case when m < 12 or i %% 7 = 0 then '84912345678' end,
                        case when m < 12 or i %% 7 = 0 then 'Don hang dang giao' end,
                        case when m < 12 or i %% 7 = 0 then 1 end,
                        case when m < 10 and i %% 3 = 0 then at + interval '15 minutes' end,
                        case when m < 12 or m >= 14 then 'sms-' || i end,
                        case when m < 12 or m >= 14 then 'zalo-' || i end,
                        case when m < 12 or m >= 14 then 'zalomid.' || i end,
                        case when m = 10 or (m >= 14 and m < 30 and i %% 7 = 0) then 'smsfb-' || i end,
                        case when m in (12, 13) then at + interval '1 hour' end,
                        case when m in (12, 13) and i %% 10 = 0 then at + interval '1 day' end,
                        at, at, case when m < 12 or m >= 14 then at end
                    from (select i, i %% 1000 as m, now() - (i %% 4320) * interval '1 minute' as at
                          from generate_series(1, %d) i) s""".formatted(MESSAGES));
            statement.execute("insert into oa_quotas (oa_id, remaining_quota, daily_quota, reported_at, source) "
                    + "select 3041812345605770000 + o, case when o % 10 = 0 then 0 else 100 end, 5000, now(), 'receipt' "
                    + "from generate_series(0, 49) o");
            statement.execute("analyze");
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        if (connection != null) {
            connection.close();
        }
        try (Connection admin = TestDatabase.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + DATABASE + " with (force)");
        }
    }

    @ParameterizedTest(name = "{0} ({2})")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "the Zalo outbox's claim | CLAIM | 200, 60000, '00000000-0000-0000-0000-000000000000', '{transaction,zns_journey}' | messages_outbox_idx",
            "the SMS outbox's claim | CLAIM_SMS | 200, 60000, '00000000-0000-0000-0000-000000000000' | messages_sms_outbox_idx",
            "Zalo attempts past the wait | ZALO_WAIT_OVER | 259200000 | messages_zalo_wait_idx",
            "SMS attempts past the wait | SMS_WAIT_OVER | 259200000 | messages_sms_wait_idx",
            "messages past their after | FALLBACK_DUE | 0 | messages_fallback_due_idx",
            "an OA's held messages released | RELEASE_HELD | '{3041812345605770001}' | messages_held_idx",
            "a receipt's message, by the SMS's SMSID | LOCK_FOR_REPORTS | '{}', '{smsfb-14014}' | messages_sms_provider_message_id_idx" })
    void eachTriggerIsAnIndexLookup(String what, String statement, String parameters, String index) throws Exception {
        String sql = switch (statement) {
            case "CLAIM" -> MessageLifecycle.CLAIM;
            case "CLAIM_SMS" -> MessageLifecycle.CLAIM_SMS;
            case "ZALO_WAIT_OVER" -> MessageLifecycle.pick(MessageLifecycle.ZALO_WAIT_OVER);
            case "SMS_WAIT_OVER" -> MessageLifecycle.pick(MessageLifecycle.SMS_WAIT_OVER);
            case "FALLBACK_DUE" -> MessageLifecycle.pick(MessageLifecycle.FALLBACK_DUE);
            case "RELEASE_HELD" -> MessageLifecycle.RELEASE_HELD;
            case "LOCK_FOR_REPORTS" -> MessageLifecycle.LOCK_FOR_REPORTS;
            default -> throw new IllegalArgumentException(statement);
        };
        for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
            JsonNode plan = plan(sql, parameters, mode);
            List<String> scans = new ArrayList<>();
            collect(plan, scans);
            assertThat(scans).as("%s, %s: %s", what, mode, plan).noneMatch(scan -> scan.startsWith("Seq Scan on messages"));
            assertThat(scans).as("%s, %s: %s", what, mode, plan).anyMatch(scan -> scan.endsWith("using " + index));
        }
    }

    /** The statement's plan as PostgreSQL would run it, prepared as the reactive client prepares it. */
    static JsonNode plan(String sql, String parameters, String mode) throws Exception {
        try (Statement statement = connection.createStatement()) {
            statement.execute("deallocate all");
            statement.execute("set plan_cache_mode = " + mode);
            statement.execute("prepare trigger_lookup as " + sql);
            try (ResultSet plan = statement.executeQuery("explain (format json) execute trigger_lookup(" + parameters + ")")) {
                plan.next();
                return new ObjectMapper().readTree(plan.getString(1));
            }
        }
    }

    /** Every scan of the plan, as "Seq Scan on messages" or "Index Scan on messages using messages_outbox_idx". */
    static void collect(JsonNode node, List<String> scans) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, scans));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode type = node.get("Node Type");
        if (type != null && type.asText().contains("Scan") && node.has("Relation Name")) {
            scans.add(type.asText() + " on " + node.get("Relation Name").asText()
                    + (node.has("Index Name") ? " using " + node.get("Index Name").asText() : ""));
        }
        if (type != null && type.asText().equals("Bitmap Index Scan")) {
            scans.add("Bitmap Index Scan on messages using " + node.get("Index Name").asText());
        }
        node.forEach(child -> collect(child, scans));
    }
}
