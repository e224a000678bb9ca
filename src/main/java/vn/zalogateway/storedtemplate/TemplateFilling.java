package vn.zalogateway.storedtemplate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import vn.zalogateway.common.problem.Violation;
import vn.zalogateway.message.template.Graphemes;

/**
 * A template version filled with a message's {@code template.data}: each placeholder's value, a string or a number,
 * at most its max_length (counted as {@link Graphemes}, like every Zalo length). Every value missing, undeclared, of
 * the wrong type or too long is a violation named {@code template.data.<placeholder>}; such a placeholder is filled
 * with its filler meanwhile, so that the rest of the message is still checked and every violation told at once.
 * Plain code.
 */
public final class TemplateFilling {

    /** The template's content filled in (template_type, language, elements, buttons), and what was wrong with the data. */
    public record Filled(ObjectNode content, List<Violation> violations) {
    }

    private TemplateFilling() {
    }

    public static Filled fill(TemplateVersion template, JsonNode data) {
        List<Violation> violations = new ArrayList<>();
        Map<String, String> values = new HashMap<>();
        if (data != null && !data.isNull() && !data.isObject()) {
            violations.add(new Violation("template.data", "must be an object: each placeholder's value by its name"));
        } else if (data != null && data.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = data.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                String path = "template.data." + field.getKey();
                Integer max = template.placeholders().get(field.getKey());
                JsonNode value = field.getValue();
                if (max == null) {
                    violations.add(new Violation(path, "is not a placeholder of " + template.name() + " version " + template.version()
                            + (template.placeholders().isEmpty() ? " (it has none)"
                                    : " (it has: " + String.join(", ", template.placeholders().keySet()) + ")")));
                } else if (value == null || value.isNull()) {
                    violations.add(new Violation(path, "is required"));
                } else if (!value.isTextual() && !value.isNumber()) {
                    violations.add(new Violation(path, "must be a string or a number"));
                } else if (Graphemes.exceed(value.asText(), max)) {
                    violations.add(new Violation(path, "must be at most " + max + " characters (has " + Graphemes.count(value.asText()) + ")"));
                } else {
                    values.put(field.getKey(), value.asText());
                }
            }
        }
        for (String placeholder : template.placeholders().keySet()) {
            if (data == null || !data.isObject() || !data.has(placeholder)) {
                violations.add(new Violation("template.data." + placeholder, "is required"));
            }
        }
        ObjectNode content = JsonNodeFactory.instance.objectNode()
                .put("template_type", template.templateType())
                .put("language", template.language());
        java.util.function.Function<String, String> valueOf = placeholder -> {
            String value = values.get(placeholder);
            Integer max = template.placeholders().get(placeholder);
            return value != null ? value : max == null ? null : Placeholders.filler(max);
        };
        content.set("elements", Placeholders.fill(template.elements(), valueOf));
        if (template.buttons() != null) {
            content.set("buttons", Placeholders.fill(template.buttons(), valueOf));
        }
        return new Filled(content, violations);
    }
}
