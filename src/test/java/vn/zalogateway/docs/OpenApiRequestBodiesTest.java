package vn.zalogateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;
import vn.zalogateway.support.Management;

/**
 * The OpenAPI document tells the truth about the request bodies the gateway reads (contract v1.3): each field the code
 * reads is there under the name the code reads, and a body that refuses unknown fields says so
 * ({@code additionalProperties: false}), so that a client generated from the document never sends a field that is
 * refused, nor misses one that exists.
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class OpenApiRequestBodiesTest {

    private JsonNode openApi;

    @BeforeEach
    void readTheOpenApiDocument() throws IOException {
        openApi = new ObjectMapper().readTree(Management.given().accept("application/json").get("/q/openapi")
                .then().statusCode(200).extract().asString());
    }

    @Test
    void aMessageBodyShowsItsFallbackAndSendWindow() {
        JsonNode message = requestBody("/v1/messages", "post");
        assertThat(names(message)).contains("kind", "oa_id", "template", "journey", "fallback", "send_window");

        JsonNode fallback = property(message, "fallback");
        assertThat(names(fallback)).containsExactlyInAnyOrder("sms", "after");
        assertThat(names(property(fallback, "sms"))).containsExactlyInAnyOrder("phone", "text", "brandname");
        assertThat(required(fallback)).containsExactly("sms");
        assertThat(required(property(fallback, "sms"))).containsExactly("text");
        JsonNode window = property(message, "send_window");
        assertThat(names(window)).containsExactlyInAnyOrder("from", "to");
        assertThat(required(window)).containsExactlyInAnyOrder("from", "to");
        assertThat(names(property(message, "journey"))).containsExactlyInAnyOrder("phone", "token_type");

        assertThat(requestBody("/v1/messages/validate", "post")).as("/validate takes the same body").isEqualTo(message);
        assertThat(resolve(property(requestBody("/v1/batches", "post"), "messages").path("items")))
                .as("a batch's items are message bodies").isEqualTo(message);
    }

    @Test
    void theConsumerPatchShowsItsSendWindow() {
        JsonNode patch = requestBody("/v1/admin/consumers/{id}", "patch");
        assertThat(names(patch)).containsExactlyInAnyOrder("oa_ids", "callback_url", "rate_limit_per_second", "send_window");
        assertThat(names(property(patch, "send_window"))).containsExactlyInAnyOrder("from", "to");
        assertThat(patch.path("properties").path("send_window").path("type").toString()).as("null removes it").contains("null");
    }

    @Test
    void everyBodyThatRefusesUnknownFieldsSaysSo() {
        JsonNode message = requestBody("/v1/messages", "post");
        List<JsonNode> closed = new ArrayList<>(List.of(message, property(message, "fallback"),
                property(property(message, "fallback"), "sms"), property(message, "send_window"), property(message, "journey"),
                property(message, "template"), requestBody("/v1/admin/consumers/{id}", "patch"),
                requestBody("/v1/admin/consumers", "post"), requestBody("/v1/journeys", "post"), requestBody("/v1/batches", "post")));
        for (JsonNode schema : closed) {
            assertThat(schema.path("additionalProperties").isBoolean() && !schema.path("additionalProperties").asBoolean())
                    .as("additionalProperties false on %s", schema).isTrue();
        }
    }

    private JsonNode requestBody(String path, String method) {
        JsonNode body = openApi.path("paths").path(path).path(method).path("requestBody").path("content")
                .path("application/json").path("schema");
        assertThat(body.isMissingNode()).as("%s %s has a JSON request body", method, path).isFalse();
        return resolve(body);
    }

    private JsonNode property(JsonNode schema, String name) {
        JsonNode property = schema.path("properties").path(name);
        assertThat(property.isMissingNode()).as("property %s of %s", name, schema).isFalse();
        return resolve(property);
    }

    /** The schema itself: a reference followed, a nullable one ({@code anyOf} a reference and null) too. */
    private JsonNode resolve(JsonNode schema) {
        String reference = schema.path("$ref").asText("");
        if (reference.startsWith("#/components/schemas/")) {
            return resolve(openApi.path("components").path("schemas").path(reference.substring("#/components/schemas/".length())));
        }
        for (String combinator : List.of("anyOf", "oneOf", "allOf")) {
            for (JsonNode member : schema.path(combinator)) {
                if (member.has("$ref") || member.has("properties")) {
                    return resolve(member);
                }
            }
        }
        return schema;
    }

    private static List<String> names(JsonNode schema) {
        List<String> names = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> required(JsonNode schema) {
        List<String> required = new ArrayList<>();
        schema.path("required").forEach(name -> required.add(name.asText()));
        return required;
    }
}
