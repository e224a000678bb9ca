package vn.zalogateway.receipt;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.TestDatabase;

/** The packaged application taking the seed's receipts. */
@QuarkusIntegrationTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
@WithTestResource(TestDatabase.class)
class ReceiptIT {

    @Test
    void takesTheSeedReceiptsAndRefusesWhatItCannotRead() {
        for (String name : new String[] { "success", "failed", "delivered", "journey_acknowledged", "journey_time_out" }) {
            given().contentType(ContentType.JSON).body(NxcloudReceiptsTest.seed(name))
                    .post("/v1/webhooks/nxcloud/test-nxcloud-secret").then().statusCode(200).body("status", equalTo("stored"));
        }
        given().contentType(ContentType.JSON).body("{\"status\": \"lost\"}").post("/v1/webhooks/nxcloud/test-nxcloud-secret")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(NxcloudReceiptsTest.seed("success")).post("/v1/webhooks/nxcloud/wrong")
                .then().statusCode(401);
        given().queryParam("SMSID", "it-sms").queryParam("SendStatus", "5").queryParam("SendSuccess", "1")
                .get("/v1/webhooks/esms/test-esms-secret").then().statusCode(200);
    }
}
