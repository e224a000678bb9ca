package vn.zalogateway.common.database;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.Rows;
import vn.zalogateway.support.TestKeys;

/**
 * Anything acknowledged is in PostgreSQL: the gateway's sessions commit synchronously (the commit returns once
 * its WAL is on disk), and each 2xx is sent after the commit, so another connection reads the row the moment
 * the answer arrives.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class CommitBeforeAnswerTest {

    @Inject
    Pool pool;

    @Inject
    AgroalDataSource dataSource;

    @InjectWireMock
    WireMockServer etelecom;

    @Test
    void theGatewaysSessionsCommitSynchronously() {
        String setting = pool.query("select current_setting('synchronous_commit')").execute()
                .map(rows -> rows.iterator().next().getString(0)).await().atMost(Duration.ofSeconds(5));
        assertThat(setting).isEqualTo("on");
    }

    @Test
    void everyAcknowledgementFindsItsRowCommitted() {
        Rows rows = new Rows(dataSource);
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(EtelecomStub.CREATED_JOURNEY)));
        for (int i = 0; i < 10; i++) {
            String message = TestKeys.consumer().body(Messages.message().toString()).post("/v1/messages")
                    .then().statusCode(202).extract().path("id");
            assertThat(rows.count("messages where id = '" + message + "'")).as("message %s, read at its 202", message).isOne();

            String journey = TestKeys.consumer().body(EtelecomStub.journeyRequest("3041812345605770721", "0912345678", null))
                    .post("/v1/journeys").then().statusCode(201).extract().path("id");
            assertThat(rows.count("journeys where id = '" + journey + "'")).as("journey %s, read at its 201", journey).isOne();

            String reference = "sms-" + UUID.randomUUID();
            given().contentType(ContentType.JSON)
                    .body("{\"status\": \"delivered\", \"requestId\": \"" + reference + "\", \"code\": 17003, \"timestamp\": 1}")
                    .post("/v1/webhooks/nxcloud/test-nxcloud-secret").then().statusCode(200);
            assertThat(rows.count("receipts where request_id = '" + reference + "'")).as("receipt %s, read at its 200", reference)
                    .isOne();
        }
    }
}
