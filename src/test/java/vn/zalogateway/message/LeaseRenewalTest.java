package vn.zalogateway.message;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.core.Vertx;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;

/**
 * A claim cannot run out under a live dispatcher: while its eSMS call is out, the lease of a message is renewed
 * (every third of it), so another round (here, or on another replica) past the first lease claims nothing and the
 * message is sent once.
 */
@QuarkusTest
@TestProfile(LeaseRenewalTest.ShortLease.class)
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class LeaseRenewalTest {

    static final long ESMS_MILLIS = 2_500;

    /** A one-second lease (the shortest allowed), and an eSMS call allowed to last longer than that. */
    public static class ShortLease implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.dispatch.lease", "PT1S",
                    "vn.zalogateway.provider.esms.EsmsClient/send/Timeout/value", "5000",
                    "quarkus.rest-client.esms.read-timeout", "6000");
        }
    }

    @InjectEsms
    WireMockServer esms;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Dispatcher dispatcher;

    @Inject
    Vertx vertx;

    @Test
    void aSlowCallKeepsItsClaimPastTheFirstLease() throws Exception {
        Rows rows = new Rows(dataSource);
        rows.clear("messages", "journeys", "idempotency_keys");
        esms.resetAll();
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json")
                .withBody("{\"CodeResult\": \"100\", \"SMSID\": \"sms-slow\"}").withFixedDelay((int) ESMS_MILLIS)));
        UUID id = UUID.randomUUID();
        String payload = Messages.JSON.writeValueAsString(Messages.message().without(
                List.of("oa_id", "user_id", "ext")));
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, due_at, "
                + "created_at, updated_at) values ('" + Messages.DEFAULT_CONSUMER + "', ?, " + Messages.OA_ID
                + ", '" + Messages.USER_ID + "', 'transaction_order', 'VI', ?, 'ACCEPTED', now(), now(), now())", id, payload);

        await().atMost(Duration.ofSeconds(5)).until(() -> esms.findAll(postRequestedFor(urlEqualTo(EsmsStub.SEND))).size() == 1);
        Object firstLease = rows.one("select extract(epoch from lease_until)::float8 as until from messages where id = ?", id)
                .get("until");
        assertThat(firstLease).as("claimed").isNotNull();
        await().atMost(Duration.ofSeconds(2)).until(() -> (Boolean) rows.one(
                "select extract(epoch from now())::float8 > ? as past", firstLease).get("past"));

        int claimed = FreshContext.run(vertx, dispatcher::drain).await().atMost(Duration.ofSeconds(5));
        assertThat(claimed).as("a round after the first lease ran out finds the message still claimed").isZero();
        assertThat(rows.one("select lease_until > now() as held from messages where id = ?", id)).containsEntry("held", true);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(rows.one(
                "select status, attempts, provider_message_id from messages where id = ?", id))
                .containsEntry("status", "SUBMITTED").containsEntry("attempts", 1).containsEntry("provider_message_id", "sms-slow"));
        assertThat(esms.findAll(postRequestedFor(urlEqualTo(EsmsStub.SEND)))).as("sent once").hasSize(1);
    }
}
