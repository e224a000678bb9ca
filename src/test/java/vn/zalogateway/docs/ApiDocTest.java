package vn.zalogateway.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.assertj.core.api.SoftAssertions;
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
 * docs/API.md is the API reference, checked against the OpenAPI document the application serves: each
 * operation there (method and path) has exactly one heading in the doc, written as {@code ### `POST /v1/messages`},
 * and the doc has no such heading for an operation that does not exist. Under its heading (up to the next heading
 * of the same or a higher level) each operation names its query and header parameters and its success status
 * ({@code `201`}) and shows a curl example; every request and response field of the API's schemas is named
 * somewhere in the doc. Any {@code `METHOD /v1/...`} the doc, the README or docs/CONFIGURATION.md mentions in
 * passing must exist too. Path parameters are compared by position, not name ({@code {key_id}} in the doc,
 * {@code {keyId}} in the code).
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class ApiDocTest {

    static final Path DOC = Path.of("docs/API.md");
    static final List<Path> MENTIONING = List.of(DOC, Path.of("README.md"), Path.of("docs/CONFIGURATION.md"));
    static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch", "trace");
    static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s.*$");
    static final Pattern ENDPOINT_HEADING = Pattern.compile("^(#{2,6}) `(GET|POST|PUT|PATCH|DELETE) (/[^`\\s]*)`.*$");
    static final Pattern ENDPOINT_MENTION = Pattern.compile("`(GET|POST|PUT|PATCH|DELETE) (/v1/[^`\\s?]*)[^`]*`");

    private JsonNode openApi;

    @BeforeEach
    void readTheOpenApiDocument() throws IOException {
        String document = Management.given().accept("application/json").get("/q/openapi").then().statusCode(200)
                .extract().asString();
        openApi = new ObjectMapper().readTree(document);
    }

    @Test
    void everyOperationHasOneHeadingAndEveryHeadingAnOperation() throws IOException {
        Set<String> operations = new TreeSet<>(operations().keySet());
        Set<String> documented = new TreeSet<>();
        List<String> twice = new ArrayList<>();
        for (Section section : sections()) {
            if (!documented.add(normalised(section.endpoint()))) {
                twice.add(section.endpoint());
            }
        }
        assertThat(operations).as("operations in the OpenAPI document").hasSizeGreaterThan(20);
        SoftAssertions.assertSoftly(softly -> {
            softly.assertThat(twice).as("operations docs/API.md documents twice").isEmpty();
            softly.assertThat(difference(operations, documented)).as("operations of the OpenAPI document docs/API.md does not document")
                    .isEmpty();
            softly.assertThat(difference(documented, operations))
                    .as("operations docs/API.md documents that the OpenAPI document does not have").isEmpty();
        });
    }

    @Test
    void everyEndpointTheDocsMentionExists() throws IOException {
        Set<String> operations = operations().keySet();
        List<String> unknown = new ArrayList<>();
        int mentions = 0;
        for (Path doc : MENTIONING) {
            Matcher mention = ENDPOINT_MENTION.matcher(Files.readString(doc, StandardCharsets.UTF_8));
            while (mention.find()) {
                mentions++;
                if (!operations.contains(normalised(mention.group(1) + " " + mention.group(2)))) {
                    unknown.add(doc + ": " + mention.group());
                }
            }
        }
        assertThat(mentions).as("endpoints mentioned in passing").isGreaterThan(10);
        assertThat(unknown).as("endpoints the docs mention that the OpenAPI document does not have").isEmpty();
    }

    @Test
    void everyEndpointSectionNamesItsParametersAndShowsCurl() throws IOException {
        Map<String, JsonNode> operations = operations();
        List<String> missing = new ArrayList<>();
        for (Section section : sections()) {
            JsonNode operation = operations.get(normalised(section.endpoint()));
            if (operation == null) {
                continue; // reported by everyOperationHasOneHeadingAndEveryHeadingAnOperation
            }
            String text = section.text();
            for (JsonNode parameter : operation.path("parameters")) {
                String name = parameter.path("name").asText();
                if (!"path".equals(parameter.path("in").asText()) && !text.contains("`" + name)) {
                    missing.add(section.endpoint() + ": its " + parameter.path("in").asText() + " parameter `" + name + "`");
                }
            }
            operation.path("responses").fieldNames().forEachRemaining(status -> {
                if (status.startsWith("2") && !text.contains("`" + status + "`")) {
                    missing.add(section.endpoint() + ": its answer `" + status + "`");
                }
            });
            if (!text.contains("curl ")) {
                missing.add(section.endpoint() + ": a curl example");
            }
        }
        assertThat(missing).as("what an endpoint's section of docs/API.md lacks").isEmpty();
    }

    @Test
    void everyFieldOfTheApisSchemasIsNamed() throws IOException {
        String doc = Files.readString(DOC, StandardCharsets.UTF_8);
        Map<String, String> fields = fieldsOfOperations();
        assertThat(fields).as("fields of the API's schemas").hasSizeGreaterThan(50);
        List<String> missing = new ArrayList<>();
        fields.forEach((name, where) -> {
            if (!doc.contains("`" + name + "`") && !doc.contains("\"" + name + "\"")) {
                missing.add(where + "." + name);
            }
        });
        assertThat(missing).as("fields of the API's schemas docs/API.md never names").isEmpty();
    }

    /** "POST /v1/messages" to the operation, for every path and method of the document. */
    private Map<String, JsonNode> operations() {
        Map<String, JsonNode> operations = new LinkedHashMap<>();
        openApi.path("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(method -> {
            if (METHODS.contains(method.getKey())) {
                operations.put(normalised(method.getKey().toUpperCase() + " " + path.getKey()), method.getValue());
            }
        }));
        return operations;
    }

    /**
     * Every property of a schema the operations take or answer with (their own, and those they refer to), to where
     * it was met first (the schema's name, or the operation's for a schema written in place).
     */
    private Map<String, String> fieldsOfOperations() {
        Map<String, String> fields = new TreeMap<>();
        Set<String> visited = new TreeSet<>();
        List<Map.Entry<String, JsonNode>> toVisit = new ArrayList<>();
        operations().forEach((operation, node) -> toVisit.add(Map.entry(operation, node)));
        while (!toVisit.isEmpty()) {
            Map.Entry<String, JsonNode> next = toVisit.remove(toVisit.size() - 1);
            JsonNode node = next.getValue();
            String reference = node.path("$ref").asText("");
            if (reference.startsWith("#/components/schemas/")) {
                String name = reference.substring("#/components/schemas/".length());
                if (visited.add(name)) {
                    toVisit.add(Map.entry(name, openApi.path("components").path("schemas").path(name)));
                }
            }
            node.path("properties").fieldNames().forEachRemaining(name -> fields.putIfAbsent(name, next.getKey()));
            node.elements().forEachRemaining(child -> toVisit.add(Map.entry(next.getKey(), child)));
        }
        return fields;
    }

    /** An endpoint heading ("POST /v1/messages") and its text, up to the next heading of its level or a higher one. */
    record Section(String endpoint, String text) {
    }

    /** The doc's endpoint sections, in order (headings inside code blocks are none). */
    static List<Section> sections() throws IOException {
        List<String> lines = Files.readAllLines(DOC, StandardCharsets.UTF_8);
        List<Section> sections = new ArrayList<>();
        boolean inCode = false;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).startsWith("```")) {
                inCode = !inCode;
            }
            Matcher heading = ENDPOINT_HEADING.matcher(lines.get(i));
            if (inCode || !heading.matches()) {
                continue;
            }
            int level = heading.group(1).length();
            StringBuilder text = new StringBuilder();
            boolean codeBelow = false;
            for (int j = i + 1; j < lines.size(); j++) {
                if (lines.get(j).startsWith("```")) {
                    codeBelow = !codeBelow;
                }
                Matcher next = HEADING.matcher(lines.get(j));
                if (!codeBelow && next.matches() && next.group(1).length() <= level) {
                    break;
                }
                text.append(lines.get(j)).append('\n');
            }
            sections.add(new Section(heading.group(2) + " " + heading.group(3), text.toString()));
        }
        return sections;
    }

    /** Path parameters by position: "{id}", "{keyId}" and "{key_id}" are the same. */
    static String normalised(String endpoint) {
        return endpoint.replaceAll("\\{[^}/]*}", "{}").replaceAll("/$", "");
    }

    private static Set<String> difference(Set<String> from, Set<String> without) {
        Set<String> left = new TreeSet<>(from);
        left.removeAll(without);
        return left;
    }
}
