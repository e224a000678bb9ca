package vn.zalogateway.common.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;

import vn.zalogateway.support.HotStatements;
import vn.zalogateway.support.HotStatements.HotStatement;
import vn.zalogateway.support.TestDatabase;

/**
 * Every hot statement ({@link HotStatements}: the outboxes' claims and submissions, a receipt's lock and apply, the
 * callback sender's claim and outcomes) reads {@code messages}, {@code receipts} and {@code callback_events} through an
 * index condition only, on a million messages (with receipts and callbacks) whose statistics still say the tables are
 * empty, and on the same analysed: as a fresh statement (a custom plan for its parameters) and as the plan a pooled
 * connection would cache (a generic plan). The million is a production-like mix: most delivered long ago, a few thousand
 * in flight, waiting, held or falling back.
 *
 * <p>On empty tables (never analysed, or analysed) PostgreSQL reads a table whole, rightly, for any batch of keys (a
 * table of at most ten pages costs less to read than ten index probes; an analysed empty one costs nothing), and no
 * wording of a statement changes that: those plans are printed, not asserted. What the gateway must never do is keep
 * such a plan once the table has grown, so its connections plan every execution anew ({@code plan_cache_mode} is
 * {@code force_custom_plan}), for the table's size then: asserted here too.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HotStatementPlansTest {

    static final String DATABASE = "zalo_gateway_hot_plans";
    static final int MESSAGES = Integer.getInteger("plans.messages", 1_000_000);

    static Connection connection;

    @BeforeAll
    static void emptyTables() throws SQLException {
        TestDatabase.recreateMigrated(DATABASE);
        connection = TestDatabase.connect(DATABASE);
        try (Statement statement = connection.createStatement()) {
            // Statistics change only when this test says so.
            for (String table : HotStatements.WATCHED) {
                statement.execute("alter table " + table + " set (autovacuum_enabled = false)");
            }
        }
    }

    @AfterAll
    static void drop() throws SQLException {
        if (connection != null) {
            HotStatements.print(connection);
            connection.close();
        }
        try (Connection admin = TestDatabase.connect("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("drop database if exists " + DATABASE + " with (force)");
        }
    }

    @Test
    @Order(0)
    void theGatewayNeverKeepsAPlanMadeForAnotherTableSize() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("application.properties")) {
            properties.load(in);
        }
        assertThat(properties.getProperty("quarkus.datasource.reactive.additional-properties.plan_cache_mode"))
                .isEqualTo("force_custom_plan");
    }

    @Test
    @Order(1)
    void emptyTablesNeverAnalysedArePrinted() throws SQLException {
        print("empty, never analysed");
    }

    @Test
    @Order(2)
    void emptyTablesAnalysedArePrinted() throws SQLException {
        analyse();
        print("empty, analysed");
    }

    @Test
    @Order(3)
    void aMillionMessagesOnStatisticsOfEmptyTables() throws SQLException {
        aMillionMessages();
        assertThat(problems("a million, statistics of empty tables")).isEmpty();
    }

    @Test
    @Order(4)
    void aMillionMessagesAnalysed() throws SQLException {
        analyse();
        assertThat(problems("a million, analysed")).isEmpty();
    }

    static void print(String state) throws SQLException {
        List<String> problems = problems(state);
        System.out.printf("%d plans on %s tables read a watched table other than through an index condition (not asserted)%n",
                problems.size(), state);
        problems.forEach(problem -> System.out.println("  " + problem));
    }

    /** What each hot statement's plans read other than through an index condition, or through another index than its own. */
    static List<String> problems(String state) throws SQLException {
        List<String> problems = new ArrayList<>();
        for (HotStatement hot : HotStatements.all()) {
            for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
                JsonNode plan = HotStatements.plan(connection, hot, mode);
                String where = "%s (%s, %s): ".formatted(hot.name(), state, mode);
                HotStatements.unindexed(plan).forEach(scan -> problems.add(where + scan + " in " + HotStatements.scans(plan)));
                // The index named is checked on the plans the gateway runs (custom); a generic plan may pick another whose
                // condition bounds it (the delivered callbacks by id on the pending ones' index, on stale statistics).
                if (mode.equals("force_custom_plan") && hot.index() != null && HotStatements.scans(plan).stream().noneMatch(scan -> scan.contains(" using " + hot.index()))) {
                    problems.add(where + "not by " + hot.index() + ": " + HotStatements.scans(plan));
                }
            }
        }
        return problems;
    }

    static void analyse() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("analyze");
        }
    }

    static void aMillionMessages() throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // i % 1000 decides each message's place in the mix: 0-9 in flight on Zalo (SUBMITTED), 10-11 falling back by
            // SMS, 12-13 waiting in the outbox (one in ten held), 14-29 failed, the rest delivered. Ids are time-ordered,
            // as the gateway's.
            statement.execute("""
                    insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, zalo_status,
                        sms_status, sms_reason, sms_submitted_at, sms_due_at, channel, fallback_phone, fallback_text, fallback_parts,
                        fallback_due_at, provider_message_id, zalo_msg_id, nxcloud_request_id, sms_provider_message_id, due_at,
                        held_until, created_at, updated_at, submitted_at)
                    select '00000000-0000-7000-8000-000000000001', uuid_v7(), 3041812345605770000 + i %% 50, (i %% 200000)::text,
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
            // A receipt for one message in five (one in a hundred of them still unmatched), and the callbacks of as many
            // (one in a hundred pending).
            statement.execute("""
                    insert into receipts (provider, natural_key, valid, status, request_id, raw_body, received_at, message_ref,
                        applied_at)
                    select 'esms', 'plans|' || provider_message_id, true, 'delivered', provider_message_id, '{}', updated_at,
                        case when n % 100 <> 0 then id end, case when n % 100 <> 0 then updated_at end
                    from (select id, provider_message_id, updated_at, row_number() over () as n from messages
                          where provider_message_id is not null and (id::text like '%0' or id::text like '%5')) m""");
            statement.execute("""
                    insert into callback_events (id, consumer_id, event_type, subject_id, sequence, data, status, next_attempt_at,
                        created_at, updated_at, delivered_at)
                    select uuid_v7(), consumer_id, 'message.status_changed', id, 1, '{}',
                        case when n % 100 = 0 then 'PENDING' else 'DELIVERED' end,
                        case when n % 100 = 0 then updated_at end, updated_at, updated_at,
                        case when n % 100 <> 0 then updated_at end
                    from (select id, consumer_id, updated_at, row_number() over () as n from messages
                          where id::text like '%0' or id::text like '%5') m""");
            statement.execute("insert into oa_quotas (oa_id, remaining_quota, daily_quota, reported_at, source) "
                    + "select 3041812345605770000 + o, case when o % 10 = 0 then 0 else 100 end, 5000, now(), 'receipt' "
                    + "from generate_series(0, 49) o on conflict do nothing");
        }
    }
}
