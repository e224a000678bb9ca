package vn.zalogateway.message;

import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.TestKeys;

/**
 * Contract v1.3: an unknown field in a request body is a 400 violation that names it, wherever the body is read, with
 * every other violation at once; never ignored, so that a typo cannot pass for a default and a feature this gateway
 * lacks cannot pass for one it has. The fields the documents give each object still pass.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class UnknownFieldsTest {

    @Test
    void aMisspeltTokenTypeInAMessagesJourneyIsRefusedNotTakenForTheDefault() {
        ObjectNode message = Messages.journeyMessage();
        message.putObject("journey").put("tokentype", "token_logistics_30");
        TestKeys.consumer().body(message.toString()).post("/v1/messages").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations", hasSize(1)).body("violations[0].field", equalTo("journey.tokentype"))
                .body("violations[0].message", containsString("phone, token_type"));
    }

    @Test
    void theKeysOfElementsRowsButtonsAndPayloadsAreCheckedAllAtOnce() {
        ObjectNode message = Messages.message();
        ArrayNode elements = (ArrayNode) message.get("elements");
        ((ObjectNode) elements.get(0)).put("content", "a banner has none"); // documented for a header, not a banner
        ((ObjectNode) elements.get(1)).put("colour", "red");
        ((ObjectNode) elements.get(3).get("content").get(0)).put("note", "x");
        ArrayNode buttons = (ArrayNode) message.get("buttons");
        ((ObjectNode) buttons.get(0)).put("link", "https://shop.vn");
        ((ObjectNode) buttons.get(1).get("payload")).put("target", "_blank");

        TestKeys.consumer().body(message.toString()).post("/v1/messages/validate").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations.field", containsInAnyOrder("elements[0].content", "elements[1].colour",
                        "elements[3].content[0].note", "buttons[0].link", "buttons[1].payload.target"))
                .body("violations.find { it.field == 'elements[1].colour' }.message",
                        containsString("a header element (type, content, align)"));
    }

    @Test
    void everyDocumentedFieldStillPasses() {
        // The seed's own template: banner, header, texts with align, a table with a styled status row, url and phone buttons.
        TestKeys.consumer().body(Messages.message().toString()).post("/v1/messages/validate").then().statusCode(200)
                .body("valid", equalTo(true));
        ObjectNode sms = Messages.message();
        ((ArrayNode) sms.get("buttons")).addObject().put("title", "Nhắn tin").put("image_icon", "default").put("type", "oa.open.sms")
                .putObject("payload").put("content", "DH-001").put("phone_code", "84919018791");
        TestKeys.consumer().body(sms.toString()).post("/v1/messages/validate").then().statusCode(200);
        ObjectNode journey = Messages.journeyMessage();
        journey.putObject("journey").put("phone", "0912345678").put("token_type", "token_logistics_30");
        TestKeys.consumer().body(journey.toString()).post("/v1/messages/validate").then().statusCode(200);
    }

    @Test
    void phoneCodeMisspeltGetsItsPointerOnce() {
        ObjectNode message = Messages.message();
        ObjectNode payload = (ObjectNode) message.get("buttons").get(2).get("payload");
        payload.remove("phone_code");
        payload.put("phoneCode", "0901888484");
        TestKeys.consumer().body(message.toString()).post("/v1/messages/validate").then().statusCode(400)
                .body("violations", hasSize(1)).body("violations[0].field", equalTo("buttons[2].payload.phoneCode"))
                .body("violations[0].message", containsString("phone_code"));
    }

    @Test
    void aJourneyRequestRefusesAnUnknownFieldWithItsOtherViolations() {
        TestKeys.consumer().body("{\"oa_id\": \"" + Messages.OA_ID + "\", \"phone\": \"0912345678\", \"tokentype\": \"token_logistics_30\"}")
                .post("/v1/journeys").then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:zalo-gateway:problem:validation"))
                .body("violations", hasSize(1)).body("violations[0].field", equalTo("tokentype"));
        TestKeys.consumer().body("{\"oa_id\": \"abc\", \"phone\": \"12\", \"token_type\": \"daily\", \"tokentype\": \"x\"}")
                .post("/v1/journeys").then().statusCode(400)
                .body("violations.field", containsInAnyOrder("oa_id", "phone", "token_type", "tokentype"));
    }

    @Test
    void aBatchEnvelopeRefusesAnUnknownFieldWithItsOtherViolations() {
        ObjectNode batch = Messages.JSON.createObjectNode().put("ext", "campaign-7").put("campaing", "7");
        batch.putArray("messages").add(Messages.message());
        TestKeys.consumer().body(batch.toString()).post("/v1/batches").then().statusCode(400)
                .contentType("application/problem+json")
                .body("violations", hasSize(1)).body("violations[0].field", equalTo("campaing"));

        TestKeys.consumer().body("{\"messages\": [], \"ext\": 7, \"campaing\": \"7\"}").post("/v1/batches").then().statusCode(400)
                .body("violations.field", containsInAnyOrder("messages", "ext", "campaing"));
    }

    @Test
    void aHostileNameIsNotEchoedWhole() {
        String name = "x".repeat(50_000);
        TestKeys.consumer().body("{\"oa_id\": \"" + Messages.OA_ID + "\", \"phone\": \"0912345678\", \"" + name + "\": 1}")
                .post("/v1/journeys").then().statusCode(400)
                .body("violations[0].field", equalTo("x".repeat(20) + "…"));
    }
}
