package vn.zalogateway.storedtemplate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;

/**
 * A message body's {@code "template": {"name", "version"?, "data"}}: the stored template it names (the latest version
 * when none is given), filled with its data, in place of {@code template_type}, {@code language}, {@code elements} and
 * {@code buttons}. What comes out is a message body written in full, which {@code message/MessageIntake} then checks
 * with every rule like any other. A template or version the consumer does not have is a 400 violation on
 * {@code template.name} or {@code template.version} (the body refers to something missing, as a wrong
 * {@code journey_id} does; the resource asked for, the message, is not what is missing).
 */
@ApplicationScoped
public class MessageTemplates {

    /** The fields a named template brings: a message that names one may not have them too. */
    public static final List<String> CONTENT = TemplateRequests.CONTENT;
    static final Set<String> REF_FIELDS = Set.of("name", "version", "data");
    private static final Pattern NAME = Pattern.compile(TemplateRequests.NAME_PATTERN);

    /**
     * The body with the template filled in ({@code template} gone), which template and version it used, and what was
     * wrong with the data (empty when nothing): a placeholder with bad data was filled with its filler meanwhile, so
     * that the rest of the body can still be checked and every violation told at once.
     */
    public record Expanded(String name, int version, ObjectNode body, List<Violation> dataViolations, TemplateVersion template) {

        /**
         * The violations the message rules found in the filled body, told as the consumer can find them: those of the
         * template's part named {@code template.<path in the template>}, with the placeholders that filled the string.
         */
        public List<Violation> explain(List<Violation> found) {
            List<Violation> told = new ArrayList<>(found.size());
            for (Violation violation : found) {
                String field = violation.field() == null ? "" : violation.field();
                if (!fromTemplate(field)) {
                    told.add(violation);
                    continue;
                }
                ObjectNode stored = JsonNodeFactory.instance.objectNode();
                stored.set("elements", template.elements());
                if (template.buttons() != null) {
                    stored.set("buttons", template.buttons());
                }
                List<String> filledBy = Placeholders.namesAt(stored, field);
                told.add(new Violation("template." + field, violation.message() + (filledBy.isEmpty() ? ""
                        : " (filled from " + String.join(", ", filledBy.stream().map(p -> "template.data." + p).toList()) + ")")));
            }
            return told;
        }

        private static boolean fromTemplate(String field) {
            for (String content : CONTENT) {
                if (field.equals(content) || field.startsWith(content + ".") || field.startsWith(content + "[")) {
                    return true;
                }
            }
            return false;
        }
    }

    private final StoredTemplates templates;

    MessageTemplates(StoredTemplates templates) {
        this.templates = templates;
    }

    /** Whether the body names a stored template. */
    public static boolean named(JsonNode body) {
        JsonNode template = body == null || !body.isObject() ? null : body.get("template");
        return template != null && !template.isNull();
    }

    /** The body with its template filled in; a failure with a 400 problem when the template cannot be used at all. */
    public Uni<Expanded> expand(UUID consumerId, JsonNode body) {
        List<Violation> violations = new ArrayList<>();
        for (String field : CONTENT) {
            JsonNode value = body.get(field);
            if (value != null && !value.isNull()) {
                violations.add(new Violation(field, "comes from the stored template: a message that names a template leaves it out"));
            }
        }
        JsonNode kind = body.get("kind");
        if (kind != null && !kind.isNull() && !"transaction".equals(kind.asText(null))) {
            violations.add(new Violation("template", "a stored template makes a transaction message: kind must be transaction or left out"));
        }
        JsonNode ref = body.get("template");
        String name = null;
        Integer version = null;
        if (!ref.isObject()) {
            violations.add(new Violation("template", "must be an object: {\"name\": \"order-status\", \"version\": 3, \"data\": {...}}"));
        } else {
            for (Iterator<String> fields = ref.fieldNames(); fields.hasNext();) {
                String field = fields.next();
                if (!REF_FIELDS.contains(field)) {
                    violations.add(new Violation("template." + field, "is not a field of a template reference (name, version, data)"));
                }
            }
            JsonNode nameNode = ref.get("name");
            if (nameNode == null || nameNode.isNull()) {
                violations.add(new Violation("template.name", "is required"));
            } else if (!nameNode.isTextual() || !NAME.matcher(nameNode.asText()).matches()) {
                violations.add(new Violation("template.name", "must be a template's name: " + TemplateRequests.NAME_PATTERN));
            } else {
                name = nameNode.asText();
            }
            JsonNode versionNode = ref.get("version");
            if (versionNode != null && !versionNode.isNull()) {
                if (!versionNode.isIntegralNumber() || !versionNode.canConvertToInt() || versionNode.asInt() < 1) {
                    violations.add(new Violation("template.version", "must be a positive integer, or left out for the latest"));
                } else {
                    version = versionNode.asInt();
                }
            }
        }
        if (!violations.isEmpty()) {
            return Uni.createFrom().failure(ProblemException.invalid(violations));
        }
        String templateName = name;
        Integer asked = version;
        return templates.lookup(consumerId, templateName, asked).chain(template -> {
            if (template != null) {
                return Uni.createFrom().item(filled(body, template));
            }
            return (asked == null ? Uni.createFrom().<Integer> nullItem() : templates.latestNumber(consumerId, templateName))
                    .map(latest -> {
                        throw latest == null
                                ? ProblemException.invalid("template.name", "is not one of this consumer's templates")
                                : ProblemException.invalid("template.version", templateName + " has no version " + asked
                                        + " (its versions are 1 to " + latest + ")");
                    });
        });
    }

    private static Expanded filled(JsonNode body, TemplateVersion template) {
        TemplateFilling.Filled filled = TemplateFilling.fill(template, body.get("template").get("data"));
        ObjectNode expanded = ((ObjectNode) body).deepCopy();
        expanded.remove("template");
        expanded.setAll(filled.content());
        return new Expanded(template.name(), template.version(), expanded, filled.violations(), template);
    }
}
