package vn.zalogateway.console;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import vn.zalogateway.message.template.Graphemes;
import vn.zalogateway.storedtemplate.Placeholders;
import vn.zalogateway.storedtemplate.TemplateFilling;
import vn.zalogateway.storedtemplate.TemplateVersion;

/**
 * A stored template as the console shows it: its Zalo card filled with sample data (each placeholder with its own name
 * when that fits its max_length, else with a value of its max_length, the longest a message may bring), filled by the
 * storedtemplate package's own code ({@link TemplateFilling}) and drawn by {@link ZaloCard}; and the JSON an admin edits
 * to save a new version (what {@code PUT /v1/templates/{name}} takes). Plain code.
 */
public final class TemplatePreview {

    /** The sample data, the card it fills, and the version as editable JSON. */
    public record Preview(ObjectNode sampleData, String sampleJson, ZaloCard card, String editable) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private TemplatePreview() {
    }

    public static Preview of(TemplateVersion template) {
        ObjectNode data = sampleData(template);
        ObjectNode content = TemplateFilling.fill(template, data).content();
        return new Preview(data, pretty(data), ZaloCard.of(content), editable(template));
    }

    /** Each placeholder's sample value: its name, or as many characters as its max_length when the name is longer. */
    public static ObjectNode sampleData(TemplateVersion template) {
        ObjectNode data = JSON.createObjectNode();
        for (Map.Entry<String, Integer> placeholder : template.placeholders().entrySet()) {
            String name = placeholder.getKey();
            int max = placeholder.getValue();
            data.put(name, Graphemes.exceed(name, max) ? Placeholders.filler(max) : name);
        }
        return data;
    }

    /** The version's content and placeholders, as the body of a PUT that would save it again (the name is the path's). */
    public static String editable(TemplateVersion template) {
        ObjectNode body = JSON.createObjectNode();
        body.put("template_type", template.templateType()).put("language", template.language());
        body.set("elements", template.elements());
        if (template.buttons() != null) {
            body.set("buttons", template.buttons());
        }
        ObjectNode placeholders = body.putObject("placeholders");
        template.placeholders().forEach((name, max) -> placeholders.putObject(name).put("max_length", max));
        return pretty(body);
    }

    /** Where a new template starts: the playground's order sample with one placeholder, named {@code order-status}. */
    public static String blank() {
        try {
            ObjectNode sample = (ObjectNode) JSON.readTree(Playground.sample("transaction_order"));
            ObjectNode body = JSON.createObjectNode();
            body.put("name", "order-status");
            body.set("template_type", sample.get("template_type"));
            body.set("language", sample.get("language"));
            JsonNode elements = sample.get("elements");
            ((ObjectNode) elements.get(3).get("content").get(0)).put("value", "{{customer_code}}");
            body.set("elements", elements);
            body.set("buttons", sample.get("buttons"));
            body.putObject("placeholders").putObject("customer_code").put("max_length", 20);
            return pretty(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The playground's sample is JSON", e);
        }
    }

    static String pretty(JsonNode node) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
