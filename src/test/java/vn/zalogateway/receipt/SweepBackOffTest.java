package vn.zalogateway.receipt;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.arc.ClientProxy;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Rows;

/**
 * The background sweep of unmatched receipts backs off while it finds nothing to apply: 2 s, then twice as long
 * after each empty sweep, up to a minute; a sweep that applies something brings it back to 2 s. Waiting minutes
 * for the real spacing is not a unit test, so each step moves the sweeper's clock instead (its next sweep made
 * due now): what is checked is the spacing it chooses after each sweep, and that a receipt whose message became
 * known without telling it waits for its next sweep.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class SweepBackOffTest {

    @Inject
    ReceiptService receipts;

    @Inject
    AgroalDataSource dataSource;

    Rows rows;
    Object sweeper;

    @BeforeEach
    void nothingToSweep() {
        rows = new Rows(dataSource);
        rows.clear("receipts", "messages", "journeys", "idempotency_keys");
        sweeper = ClientProxy.unwrap(receipts);
    }

    @Test
    void theSweepBacksOffToAMinuteWhileIdleAndComesBackWhenItApplies() throws Exception {
        set("idleSpacing", ReceiptService.SWEEP_EVERY);
        List<Long> spacings = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            spacings.add(nextSweepsSpacing());
        }
        assertThat(spacings).as("spacing chosen after each empty sweep (ms)")
                .containsExactly(4_000L, 8_000L, 16_000L, 32_000L, 60_000L, 60_000L, 60_000L);
        assertThat(ReceiptService.SWEEP_AT_MOST_EVERY).isEqualTo(Duration.ofMinutes(1).toMillis());

        // A receipt waits unmatched; its message becomes known with no event to this replica (as by SQL).
        String reference = "sms-" + UUID.randomUUID();
        given().contentType(ContentType.JSON)
                .body("{\"status\": \"delivered\", \"requestId\": \"" + reference + "\", \"code\": 17003, \"timestamp\": 1}")
                .post("/v1/webhooks/nxcloud/test-nxcloud-secret").then().statusCode(200);
        UUID message = UUID.randomUUID();
        rows.update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, "
                + "provider_message_id, submitted_at, created_at, updated_at) values ('00000000-0000-7000-8000-000000000001', ?, "
                + "3041812345605770721, '5830123456789', 'transaction_order', 'VI', '{}', 'SUBMITTED', ?, now(), now(), now())",
                message, reference);
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).untilAsserted(() -> assertThat(
                rows.count("receipts where request_id = '" + reference + "' and applied_at is null")).as("held by the back-off").isOne());

        set("nextBackgroundSweep", 0L); // its minute is up
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(rows.count("receipts where request_id = '" + reference + "' and applied_at is not null")).isOne();
            assertThat(rows.one("select status from messages where id = ?", message)).containsEntry("status", "DELIVERED");
        });
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(get("idleSpacing"))
                .as("back to every 2 s after a sweep that applied something").isEqualTo(ReceiptService.SWEEP_EVERY));
    }

    /** Makes the next background sweep due now, waits for it, and returns the spacing it chose for the one after. */
    private long nextSweepsSpacing() throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> !((AtomicBoolean) field("sweeping").get(sweeper)).get()
                && get("nextBackgroundSweep") != Long.MAX_VALUE);
        set("nextBackgroundSweep", 0L);
        long before = System.currentTimeMillis();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> get("nextBackgroundSweep") != 0L && get("nextBackgroundSweep") != Long.MAX_VALUE);
        long spacing = get("idleSpacing");
        assertThat(get("nextBackgroundSweep") - before).as("the next sweep is that far off").isGreaterThanOrEqualTo(spacing);
        return spacing;
    }

    private long get(String name) throws ReflectiveOperationException {
        return field(name).getLong(sweeper);
    }

    private void set(String name, long value) throws ReflectiveOperationException {
        field(name).setLong(sweeper, value);
    }

    private static Field field(String name) throws NoSuchFieldException {
        Field field = ReceiptService.class.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
