package vn.zalogateway.receipt;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Seeds;
import vn.zalogateway.support.TestDatabase;

/** The packaged application taking the seed's receipts. */
@QuarkusIntegrationTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
@WithTestResource(TestDatabase.class)
class ReceiptIT {

    @Test
    void takesTheSeedReceiptsAndRefusesWhatItCannotRead() throws Exception {
        sql("truncate receipts");
        for (String name : new String[] { "success", "failed", "delivered", "journey_acknowledged", "journey_time_out" }) {
            given().contentType(ContentType.JSON).body(Seeds.nxcloud(name))
                    .post("/v1/webhooks/nxcloud/test-nxcloud-secret").then().statusCode(200).body("status", equalTo("stored"));
        }
        given().contentType(ContentType.JSON).body("{\"status\": \"lost\"}").post("/v1/webhooks/nxcloud/test-nxcloud-secret")
                .then().statusCode(400).contentType("application/problem+json");
        given().contentType(ContentType.JSON).body(Seeds.nxcloud("success")).post("/v1/webhooks/nxcloud/wrong")
                .then().statusCode(401);
        given().queryParam("SMSID", "it-sms").queryParam("SendStatus", "5").queryParam("SendSuccess", "1")
                .get("/v1/webhooks/esms/test-esms-secret").then().statusCode(200);

        // What the packaged app stored, read from PostgreSQL: each seed once and structured, the unreadable one
        // raw for inspection, the refused secret nothing.
        assertThat(rows("select status from receipts where provider = 'nxcloud' and valid order by status"))
                .containsExactly("delivered", "failed", "journey_acknowledged", "journey_time_out", "success");
        assertThat(rows("select raw_body from receipts where not valid")).containsExactly("{\"status\": \"lost\"}");
        assertThat(rows("select request_id from receipts where provider = 'esms'")).containsExactly("it-sms");
    }

    private static void sql(String statement) throws Exception {
        try (Connection connection = TestDatabase.connect(TestDatabase.database()); Statement sql = connection.createStatement()) {
            sql.execute(statement);
        }
    }

    private static List<String> rows(String query) throws Exception {
        List<String> values = new ArrayList<>();
        try (Connection connection = TestDatabase.connect(TestDatabase.database()); Statement sql = connection.createStatement();
                ResultSet result = sql.executeQuery(query)) {
            while (result.next()) {
                values.add(result.getString(1));
            }
        }
        return values;
    }
}
