package vn.zalogateway.message;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusIntegrationTest;
import io.restassured.http.ContentType;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.InjectEsms;
import vn.zalogateway.support.InjectWireMock;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.TestDatabase;
import vn.zalogateway.support.TestKeys;

/** The packaged application (jar, or the native binary with -Dnative) sending through the eSMS stub. */
@QuarkusIntegrationTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
@WithTestResource(TestDatabase.class)
class MessageIT {

    @InjectEsms
    WireMockServer esms;

    @InjectWireMock
    WireMockServer etelecom;

    @BeforeEach
    void reset() {
        esms.resetAll();
        etelecom.resetAll();
    }

    @Test
    void submitsTheSeedExample() {
        esms.stubFor(post(urlEqualTo(EsmsStub.SEND)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody("{\"CodeResult\": \"100\", \"SMSID\": \"sms-it\"}")));
        String id = given().auth().oauth2(TestKeys.KEY).contentType(ContentType.JSON)
                .body(Messages.message().toString())
                .post("/v1/messages").then().statusCode(202).body("kind", equalTo("transaction")).extract().path("id");

        Messages.awaitStatus(id, "SUBMITTED").then()
                .body("provider_message_id", equalTo("sms-it"))
                .body("ext", equalTo("order-123"));
        List<LoggedRequest> sent = esms.findAll(postRequestedFor(urlEqualTo(EsmsStub.SEND)));
        assertThat(sent).hasSize(1);
        assertThat(Messages.requestId(sent.get(0))).isEqualTo(id);
    }

    /** Contract v1.2 on the packaged app: a token created in the pipeline, then the journey's next message on it. */
    @Test
    void sendsJourneyMessagesOnOneToken() {
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.CREATE_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(EtelecomStub.CREATED_JOURNEY)));
        etelecom.stubFor(post(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY)).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json").withBody(EtelecomStub.SENT_ZNS_JOURNEY)
                .withTransformers("response-template")));
        ObjectNode first = Messages.journeyMessage();
        String id = given().auth().oauth2(TestKeys.KEY).contentType(ContentType.JSON).body(first.toString())
                .post("/v1/messages").then().statusCode(202).body("kind", equalTo("zns_journey")).extract().path("id");
        String journey = Messages.awaitStatus(id, "SUBMITTED").then()
                .body("provider_message_id", equalTo("msg-" + id))
                .body("cost.fee_token", equalTo(250.0f))
                .extract().path("journey.id");

        String next = given().auth().oauth2(TestKeys.KEY).contentType(ContentType.JSON)
                .body(Messages.nextMessage(journey, "Đã giao").toString())
                .post("/v1/messages").then().statusCode(202).extract().path("id");
        Messages.awaitStatus(next, "SUBMITTED");

        etelecom.verify(1, postRequestedFor(urlEqualTo(EtelecomStub.CREATE_JOURNEY)));
        etelecom.verify(2, postRequestedFor(urlEqualTo(EtelecomStub.SEND_ZNS_JOURNEY)));
        given().auth().oauth2(TestKeys.KEY).get("/v1/journeys/" + journey).then().statusCode(200)
                .body("messages.id", org.hamcrest.Matchers.contains(id, next));
        ObjectNode transaction = Messages.message();
        transaction.put("journey_id", journey);
        given().auth().oauth2(TestKeys.KEY).contentType(ContentType.JSON).body(transaction.toString())
                .post("/v1/messages").then().statusCode(400).body("violations[0].field", equalTo("journey_id"));
    }

    @Test
    void rejectsABrokenTemplateWithEveryViolation() {
        ObjectNode body = Messages.message();
        body.put("template_type", "transaction_promo");
        body.withArray("elements").remove(1);
        given().auth().oauth2(TestKeys.KEY).contentType(ContentType.JSON).body(body.toString())
                .post("/v1/messages/validate").then().statusCode(400).contentType("application/problem+json")
                .body("violations.field", org.hamcrest.Matchers.contains("template_type", "elements"));
    }
}
