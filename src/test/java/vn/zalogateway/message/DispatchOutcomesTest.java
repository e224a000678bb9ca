package vn.zalogateway.message;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;

/**
 * A dispatch round records each message's outcome as soon as its eSMS call ends, not when the round's slowest
 * call does: a receipt can find its message's SMSID without waiting for the rest of the round.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class DispatchOutcomesTest {

    /** Within the test profile's eSMS timeout (1.5 s), so the slow call succeeds. */
    static final int SLOW_CALL_MILLIS = 1_200;

    @InjectEsms
    WireMockServer esms;

    @Inject
    AgroalDataSource dataSource;

    Rows rows;

    @BeforeEach
    void reset() {
        rows = new Rows(dataSource);
        rows.clear("messages", "journeys", "idempotency_keys");
        esms.resetAll();
    }

    @Test
    void eachOutcomeIsRecordedAsSoonAsItIsKnown() throws Exception {
        String quick = UUID.randomUUID().toString();
        String slow = UUID.randomUUID().toString();
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(answer("sms-quick")));
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).atPriority(1).withRequestBody(matchingJsonPath("$.RequestId", equalTo(slow)))
                .willReturn(answer("sms-slow").withFixedDelay(SLOW_CALL_MILLIS)));
        String payload = Messages.JSON.writeValueAsString(Messages.message().without(
                java.util.List.of("oa_id", "user_id", "ext")));
        // A first message through the whole path, so that the measured round meets no cold start (JIT, connections).
        String warmUp = UUID.randomUUID().toString();
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, due_at, "
                + "created_at, updated_at) values ('" + Messages.DEFAULT_CONSUMER + "', ?::uuid, " + Messages.OA_ID + ", '"
                + Messages.USER_ID + "', 'transaction_order', 'VI', ?, 'ACCEPTED', now(), now(), now())", warmUp, payload);
        await().atMost(Messages.PATIENCE).untilAsserted(() -> assertThat(row(warmUp)).containsEntry("status", "SUBMITTED"));
        // Both due at once: the next round claims them together.
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, due_at, "
                + "created_at, updated_at) select '" + Messages.DEFAULT_CONSUMER + "', id::uuid, "
                + Messages.OA_ID + ", '" + Messages.USER_ID + "', 'transaction_order', 'VI', ?, 'ACCEPTED', "
                + "now(), now(), now() from unnest(array[?, ?]) as id", payload, quick, slow);

        await().atMost(Duration.ofMillis(SLOW_CALL_MILLIS)).pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(row(quick)).containsEntry("status", "SUBMITTED"));
        assertThat(row(slow)).as("the slow call is still out, its message not recorded").containsEntry("status", "ACCEPTED");
        assertThat(esms.findAll(com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor(urlEqualTo(EsmsStub.SEND))
                .withRequestBody(matchingJsonPath("$.RequestId", equalTo(slow))))).as("eSMS has the slow request").hasSize(1);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(row(slow)).containsEntry("status", "SUBMITTED"));
        Map<String, Object> first = row(quick);
        Map<String, Object> second = row(slow);
        assertThat(first.get("claim")).as("one round claimed both").isEqualTo(second.get("claim"));
        assertThat(first).containsEntry("provider_message_id", "sms-quick");
        assertThat(second).containsEntry("provider_message_id", "sms-slow");
        assertThat(Duration.between(submittedAt(first), submittedAt(second)))
                .as("the quick outcome was stored while the slow call was out").isGreaterThan(Duration.ofMillis(SLOW_CALL_MILLIS / 2));
    }

    private static com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder answer(String smsId) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"CodeResult\": \"100\", \"CountRegenerate\": 0, \"SMSID\": \"" + smsId + "\"}");
    }

    private Map<String, Object> row(String id) {
        return rows.one("select status, provider_message_id, claim::text as claim, submitted_at from messages where id = ?::uuid", id);
    }

    private static OffsetDateTime submittedAt(Map<String, Object> row) {
        Object value = row.get("submitted_at");
        return value instanceof OffsetDateTime time ? time
                : ((java.sql.Timestamp) value).toInstant().atOffset(java.time.ZoneOffset.UTC);
    }
}
