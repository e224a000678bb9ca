package vn.zalogateway.receipt;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.scheduler.Scheduler;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.Vertx;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Rows;

/**
 * The background sweep of unmatched receipts backs off while it finds nothing to apply: 2 s, then twice as long
 * after each empty sweep, up to a minute; a sweep that applies something brings it back to 2 s. The scheduled job
 * is paused and each sweep run by hand, so what is checked is the spacing each sweep chooses, and that a receipt
 * whose message became known without telling this replica is applied by the next background sweep.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class SweepBackOffTest {

    @Inject
    UnmatchedReceipts unmatched;

    @Inject
    Scheduler scheduler;

    @Inject
    Vertx vertx;

    @Inject
    AgroalDataSource dataSource;

    Rows rows;

    @BeforeEach
    void nothingToSweep() {
        scheduler.pause(UnmatchedReceipts.JOB);
        rows = new Rows(dataSource);
        rows.clear("receipts", "charges", "oa_quotas", "messages", "journeys", "idempotency_keys");
    }

    @AfterEach
    void sweepAgain() {
        scheduler.resume(UnmatchedReceipts.JOB);
    }

    long sweep() {
        return FreshContext.run(vertx, unmatched::backgroundSweep).await().atMost(Duration.ofSeconds(10));
    }

    @Test
    void theSweepBacksOffToAMinuteWhileIdleAndComesBackWhenItApplies() {
        while (unmatched.idleSpacing() != UnmatchedReceipts.SWEEP_AT_MOST_EVERY) {
            sweep(); // from wherever earlier tests left it, to the longest
        }
        String reference = "sms-" + UUID.randomUUID();
        UUID message = UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"status\": \"delivered\", \"requestId\": \"" + reference + "\", \"code\": 17003, \"timestamp\": 1}")
                .post("/v1/webhooks/nxcloud/test-nxcloud-secret").then().statusCode(200);
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, zalo_status, "
                + "provider_message_id, submitted_at, created_at, updated_at) values ('00000000-0000-7000-8000-000000000001', ?, "
                + "3041812345605770721, '5830123456789', 'transaction_order', 'VI', '{}', 'SUBMITTED', 'SUBMITTED', ?, now(), now(), now())",
                message, reference);
        assertThat(sweep()).as("back to every 2 s after a sweep that applied something").isEqualTo(UnmatchedReceipts.SWEEP_EVERY);
        assertThat(rows.count("receipts where request_id = '" + reference + "' and applied_at is not null")).isOne();
        assertThat(rows.one("select status from messages where id = ?", message)).containsEntry("status", "DELIVERED");

        List<Long> spacings = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            spacings.add(sweep());
        }
        assertThat(spacings).as("spacing chosen after each empty sweep (ms)")
                .containsExactly(4_000L, 8_000L, 16_000L, 32_000L, 60_000L, 60_000L, 60_000L);
        assertThat(UnmatchedReceipts.SWEEP_AT_MOST_EVERY).isEqualTo(Duration.ofMinutes(1).toMillis());
    }
}
