package vn.zalogateway.consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import vn.zalogateway.common.Sha256;
import vn.zalogateway.support.Consumers;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/**
 * A key revoked on another replica stops working on this one at once. This application is one replica, with the
 * key in its cache; the other replica is played by SQL on a connection of its own, writing what its admin API
 * writes: the revocation and the NOTIFY (which that API commits together; apart here, to show what each does).
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class KeyRevocationAcrossReplicasTest {

    @Inject
    AgroalDataSource dataSource;

    @Test
    void aKeyRevokedOnAnotherReplicaIsRefusedHereAtOnce() {
        Rows rows = new Rows(dataSource);
        Consumers.Made shop = Consumers.make("replicas", List.of("*"), null);
        TestKeys.withKey(shop.apiKey()).get("/v1/messages").then().statusCode(200);

        // Revoked in the database only: this replica answers from its cache (for up to 30 s), as it would if the
        // notification were lost. This is what the NOTIFY exists for.
        rows.update("update consumer_keys set revoked_at = now() where key_hash = ?", Sha256.hex(shop.apiKey()));
        TestKeys.withKey(shop.apiKey()).get("/v1/messages").then().statusCode(200);

        rows.execute("select pg_notify('" + ConsumerKeys.CHANNEL + "', '')");
        await().atMost(Duration.ofSeconds(1)).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                TestKeys.withKey(shop.apiKey()).get("/v1/messages").then().statusCode(401));
        TestKeys.consumer().get("/v1/messages").then().statusCode(200);
    }
}
