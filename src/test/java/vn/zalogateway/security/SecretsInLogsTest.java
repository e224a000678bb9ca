package vn.zalogateway.security;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.github.tomakehurst.wiremock.WireMockServer;

import io.quarkus.logging.Log;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import vn.zalogateway.support.AppLog;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.TestKeys;

/**
 * No secret and no whole phone number reaches a log line: the test drives requests that log (a
 * refused journey, failing webhooks, an unknown key, a line that names secrets on purpose), then
 * reads the log file the application wrote through its configured handler and masking filter.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class SecretsInLogsTest {

    static final String PHONE = "84912345678";
    /** Every configured secret of the test profile, and the consumer key. */
    static final List<String> SECRETS = List.of(TestKeys.KEY, "test-etelecom-key", "test-esms-api-key",
            "test-esms-secret-key", "test-nxcloud-secret", "test-esms-secret");

    @InjectWireMock
    WireMockServer etelecom;

    @Test
    void logLinesCarryNeitherSecretsNorWholePhoneNumbers() throws Exception {
        long before = AppLog.end();
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("""
                        {"error_code": 7, "error_message": "Số điện thoại chưa đăng ký Zalo", "id": "", "journey_id": "",
                         "journey_token": "", "status": "", "is_charged": false}""")));
        given().auth().oauth2(TestKeys.KEY).contentType(ContentType.JSON)
                .body(EtelecomStub.journeyRequest("3041812345605770721", "0912345678", null))
                .post("/v1/journeys").then().statusCode(422);
        given().auth().oauth2("leaked-consumer-key-0912345678").get("/v1/journeys").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{\"status\": \"sucess\", \"requestId\": \"x\", \"code\": \"zero\"}")
                .post("/v1/webhooks/nxcloud/test-nxcloud-secret").then().statusCode(400);
        given().get("/v1/webhooks/esms/test-esms-secret?SMSID=1&SendStatus=5&Phone=0912345678").then().statusCode(200);
        // A careless line, as a library or a future change might write it: the filter still masks it.
        Log.infof("calling eSMS for %s with {\"ApiKey\":\"%s\",\"SecretKey\":\"%s\"} and Bearer %s to /v1/webhooks/nxcloud/%s",
                "+" + PHONE, "test-esms-api-key", "test-esms-secret-key", TestKeys.KEY, "test-nxcloud-secret");

        // A provider's exception, its text carrying a key and the phone, logged with its stack trace.
        Log.warn("eSMS call failed", new java.io.IOException("eSMS answered 500 for {\"ApiKey\":\"test-esms-api-key\"} to " + PHONE,
                new IllegalStateException("SecretKey=test-esms-secret-key phone=0912345678")));

        String written = AppLog.since(before, "calling eSMS");
        // (the file is JSON lines: quotes inside a message are escaped there)
        assertThat(written).contains("eSMS call failed").contains("java.io.IOException: eSMS answered 500 for")
                .contains("to 84******678").contains("java.lang.IllegalStateException: SecretKey=*** phone=0******678");
        assertThat(written).contains("calling eSMS for +84******678");
        assertThat(written).doesNotContain(PHONE).doesNotContain("0912345678");
        for (String secret : SECRETS) {
            assertThat(written).as("the log carries %s", secret).doesNotContain(secret);
        }
    }
}
