package vn.zalogateway.message.template;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code message.attachment.payload} eSMS forwards to Zalo, built from a template that passed
 * {@link TransactionTemplateRules}: only the fields Zalo knows, so nothing a consumer added by
 * mistake reaches the provider.
 */
public final class ZaloTemplatePayload {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private ZaloTemplatePayload() {
    }

    public static ObjectNode of(JsonNode template) {
        ObjectNode payload = JSON.objectNode();
        payload.put("template_type", template.get("template_type").asText());
        payload.put("language", template.get("language").asText());
        ArrayNode elements = payload.putArray("elements");
        for (JsonNode element : template.get("elements")) {
            String type = element.get("type").asText();
            ObjectNode clean = elements.addObject().put("type", type);
            switch (type) {
                case "banner" -> copy(element, clean, List.of("image_url"));
                case "table" -> {
                    ArrayNode rows = clean.putArray("content");
                    element.get("content").forEach(row -> copy(row, rows.addObject(), List.of("key", "value", "style")));
                }
                default -> copy(element, clean, List.of("content", "align"));
            }
        }
        JsonNode buttons = template.get("buttons");
        if (buttons != null && buttons.isArray() && !buttons.isEmpty()) {
            ArrayNode cleanButtons = payload.putArray("buttons");
            buttons.forEach(button -> copy(button, cleanButtons.addObject(), List.of("title", "image_icon", "type", "payload")));
        }
        return payload;
    }

    private static void copy(JsonNode from, ObjectNode to, List<String> fields) {
        for (String field : fields) {
            JsonNode value = from.get(field);
            if (value != null && !value.isNull() && !(value.isTextual() && value.asText().isEmpty() && field.equals("style"))) {
                to.set(field, value.deepCopy());
            }
        }
    }
}
