package vn.zalogateway.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/**
 * The outbox's claims (MessageLifecycle), without a dispatcher racing the test: a claim's token fences every outcome, so
 * a dispatcher whose lease ran out cannot overwrite what another dispatcher claimed since.
 */
@QuarkusTest
@TestProfile(MessageLifecycleTest.NoDispatcher.class)
class MessageLifecycleTest {

    public static class NoDispatcher implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.dispatch.enabled", "false", "gateway.api-key-hashes", TestKeys.HASHES);
        }
    }

    static final Duration WAIT = Duration.ofSeconds(5);

    @Inject
    MessageLifecycle lifecycle;

    @Inject
    AgroalDataSource dataSource;

    Rows rows;
    UUID message;

    @BeforeEach
    void oneDueMessage() {
        rows = new Rows(dataSource);
        rows.clear("messages", "journeys", "idempotency_keys");
        message = UUID.randomUUID();
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, due_at, "
                + "created_at, updated_at) values ('00000000-0000-7000-8000-000000000001', ?, 3041812345605770721, '5830123456789', 'transaction_order', 'VI', '{}', "
                + "'ACCEPTED', now(), now(), now())", message);
    }

    /** Claims it under a new token after the previous lease has run out; returns the token. */
    UUID claimAfterExpiry() {
        rows.update("update messages set lease_until = now() - interval '1 second' where id = ?", message);
        UUID token = UUID.randomUUID();
        assertThat(lifecycle.claim(10, Duration.ofMinutes(1), token, java.util.EnumSet.allOf(MessageKind.class)).await().atMost(WAIT)).singleElement()
                .satisfies(claimed -> assertThat(claimed.claim()).isEqualTo(token));
        return token;
    }

    @Test
    void anExpiredClaimWritesNoOutcome() {
        UUID first = claimAfterExpiry();
        UUID second = claimAfterExpiry();

        assertThat(lifecycle.outcomeUnknown(message, first, "send_outcome_unknown", "too late", null).await().atMost(WAIT)).isZero();
        assertThat(lifecycle.retryLater(message, first, java.time.Instant.now().plusSeconds(1), "retrying", "too late", true, null)
                .await().atMost(WAIT)).isZero();
        assertThat(lifecycle.submitted(List.of(new MessageLifecycle.Submission(message, first, "sms-stale"))).await().atMost(WAIT)).isZero();
        assertThat(rows.one("select status, provider_message_id from messages where id = ?", message))
                .containsEntry("status", "ACCEPTED").containsEntry("provider_message_id", null);

        assertThat(lifecycle.submitted(List.of(new MessageLifecycle.Submission(message, second, "sms-live"))).await().atMost(WAIT)).isOne();
        assertThat(rows.one("select status, provider_message_id from messages where id = ?", message))
                .containsEntry("status", "SUBMITTED").containsEntry("provider_message_id", "sms-live");
    }

    @Test
    void onlyTheHoldingClaimRenewsTheLease() {
        UUID first = claimAfterExpiry();
        UUID second = claimAfterExpiry();
        rows.update("update messages set lease_until = now() + interval '1 second' where id = ?", message);

        assertThat(lifecycle.renew(List.of(message), first, Duration.ofHours(1)).await().atMost(WAIT)).isZero();
        assertThat(lifecycle.renew(List.of(message), second, Duration.ofHours(1)).await().atMost(WAIT)).isOne();
        assertThat(rows.count("messages where lease_until > now() + interval '30 minutes'")).isOne();
    }
}
