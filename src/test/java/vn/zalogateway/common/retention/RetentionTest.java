package vn.zalogateway.common.retention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Rows;

/**
 * What is past its retention goes, what is not (or is still referenced) stays: defaults 24 h, 7 days, 90 days; cost
 * hours 400 days, revoked keys 90 days, retired callback secrets 7 days.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class RetentionTest {

    @Inject
    Retention retention;

    @Inject
    AgroalDataSource dataSource;

    Rows rows;

    @BeforeEach
    void clean() {
        rows = new Rows(dataSource);
        rows.clear("receipts", "charges", "oa_quotas", "messages", "journeys", "idempotency_keys", "leases");
    }

    void key(String key, String age) {
        rows.update("insert into idempotency_keys (consumer, operation, idempotency_key, request_hash, resource_id, created_at) "
                + "values ('c', 'POST /v1/messages', ?, repeat('0', 64), gen_random_uuid(), now() - ?::interval)", key, age);
    }

    void receipt(String key, String age, boolean applied, String messageRef) {
        rows.update("insert into receipts (provider, natural_key, valid, status, request_id, raw_body, received_at, applied_at, "
                + "message_ref) values ('nxcloud', ?, true, 'success', ?, '{}', now() - ?::interval, "
                + "case when ? then now() - ?::interval end, ?::uuid)", key, key, age, applied, age, messageRef);
    }

    void message(String id, String status, String age, String journey) {
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, zalo_status, created_at, "
                + "updated_at, journey_ref) values ('00000000-0000-7000-8000-000000000001', ?::uuid, 1, '1', 'transaction_order', 'VI', '{}', ?, case when ? not in ('ACCEPTED', 'SCHEDULED', 'CANCELLED') then ? end, "
                + "now() - ?::interval, now() - ?::interval, ?::uuid)", id, status, status, status, age, age, journey);
    }

    void journey(String id, String status, String age) {
        rows.update("insert into journeys (consumer_id, id, oa_id, phone, token_type, status, created_at, updated_at, failure_kind) values "
                + "('00000000-0000-7000-8000-000000000001', ?::uuid, 1, '84912345678', 'token_logistics_7', ?, now() - ?::interval, now() - ?::interval, "
                + "case when ? = 'FAILED' then 'REFUSED' end)", id, status, age, age, status);
    }

    @Test
    void oldRowsGoAndEverythingYoungerOrStillUsedStays() {
        key("old", "25 hours");
        key("young", "23 hours");
        receipt("unmatched-old", "8 days", false, null);
        receipt("unmatched-young", "6 days", false, null);
        journey("0190a0a0-0000-7000-8000-0000000000a1", "ACKNOWLEDGED", "91 days");   // unused: goes
        journey("0190a0a0-0000-7000-8000-0000000000a2", "TIMED_OUT", "91 days");      // a young message uses it
        journey("0190a0a0-0000-7000-8000-0000000000a3", "NEW", "91 days");            // live, never expires: stays
        message("0190a0a0-0000-7000-8000-0000000000b1", "DELIVERED", "91 days", null);
        receipt("old-of-b1", "91 days", true, "0190a0a0-0000-7000-8000-0000000000b1");
        message("0190a0a0-0000-7000-8000-0000000000b2", "DELIVERED", "1 day", "0190a0a0-0000-7000-8000-0000000000a2");
        message("0190a0a0-0000-7000-8000-0000000000b3", "SUBMITTED", "91 days", null); // not final: stays

        int deleted = retention.purge().await().atMost(Duration.ofSeconds(20));

        assertThat(deleted).isEqualTo(5);
        assertThat(rows.count("idempotency_keys where idempotency_key = 'young'")).isOne();
        assertThat(rows.count("idempotency_keys")).isOne();
        assertThat(rows.count("receipts where natural_key = 'unmatched-young'")).isOne();
        assertThat(rows.count("receipts")).isOne();
        assertThat(rows.count("messages")).isEqualTo(2);
        assertThat(rows.count("journeys")).isEqualTo(2);
        assertThat(rows.count("journeys where id = '0190a0a0-0000-7000-8000-0000000000a1'")).isZero();
    }

    @Test
    void oldCostHoursRevokedKeysAndRetiredSecretsGoToo() {
        rows.update("delete from cost_hours where hour < now() - interval '300 days'");
        rows.update("insert into cost_hours (hour) values (date_trunc('hour', now() - interval '401 days')), "
                + "(date_trunc('hour', now() - interval '399 days'))");
        rows.update("insert into oa_hour_costs (hour, oa_id, currency, amount, charges) "
                + "values (date_trunc('hour', now() - interval '401 days'), 1, 'VND', 300, 1)");
        String consumer = java.util.UUID.randomUUID().toString();
        rows.update("insert into consumers (id, name, created_at, updated_at) values (?::uuid, ?, now(), now())",
                consumer, "retention-" + System.nanoTime());
        rows.update("insert into consumer_keys (id, consumer_id, key_hash, created_at, revoked_at) values "
                + "(gen_random_uuid(), ?::uuid, md5(random()::text) || md5(random()::text), now() - interval '1 year', now() - interval '91 days'), "
                + "(gen_random_uuid(), ?::uuid, md5(random()::text) || md5(random()::text), now() - interval '1 year', now() - interval '89 days'), "
                + "(gen_random_uuid(), ?::uuid, md5(random()::text) || md5(random()::text), now() - interval '1 year', null)",
                consumer, consumer, consumer);
        rows.update("insert into callback_secrets (id, consumer_id, sealed, created_at, retires_at) values "
                + "(gen_random_uuid(), ?::uuid, 'x', now() - interval '1 year', now() - interval '8 days'), "
                + "(gen_random_uuid(), ?::uuid, 'x', now() - interval '1 year', now() - interval '6 days'), "
                + "(gen_random_uuid(), ?::uuid, 'x', now() - interval '1 year', null)", consumer, consumer, consumer);

        int deleted = retention.purge().await().atMost(Duration.ofSeconds(20));

        assertThat(deleted).as("an hour (its sums with it), a key and a secret").isEqualTo(3);
        assertThat(rows.count("cost_hours where hour < now() - interval '300 days'")).isOne();
        assertThat(rows.count("oa_hour_costs where hour < now() - interval '300 days'")).isZero();
        assertThat(rows.count("consumer_keys where consumer_id = '" + consumer + "'")).isEqualTo(2);
        assertThat(rows.count("consumer_keys where consumer_id = '" + consumer + "' and revoked_at is null")).isOne();
        assertThat(rows.count("callback_secrets where consumer_id = '" + consumer + "'")).isEqualTo(2);
        assertThat(rows.count("callback_secrets where consumer_id = '" + consumer + "' and retires_at is null")).isOne();
    }

    @Test
    void everyPackagePurgesItsOwnRowsInAnOrderThatRespectsTheReferences() {
        List<String> order = retention.purges().stream().map(RetainedRows.Purge::what).toList();
        assertThat(order).contains("idempotency keys", "unmatched receipts", "receipts", "callbacks", "rate limit buckets",
                "messages", "journeys", "cost hours", "charges", "revoked keys", "retired callback secrets");
        assertThat(order.indexOf("receipts")).as("receipts point at messages").isLessThan(order.indexOf("messages"));
        assertThat(order.indexOf("messages")).as("messages point at journeys").isLessThan(order.indexOf("journeys"));
        assertThat(retention.purges()).allSatisfy(purge -> assertThat(purge.keep()).isPositive());
    }
}
