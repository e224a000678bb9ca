package vn.zalogateway.storedtemplate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;
import vn.zalogateway.message.template.TransactionTemplateRules;

/**
 * Reads a {@code POST /v1/templates} or {@code PUT /v1/templates/{name}} body: the name, a transaction template
 * (template_type, language, elements, buttons) whose strings may hold {@code {{placeholder}}} marks, and each
 * placeholder's longest length. The template is checked against every transaction rule with each placeholder at its
 * longest ({@link Placeholders#filler}), so a message made from it can break a rule only through a value's own form;
 * every violation at once. Plain code, so it is tested without a server.
 */
public final class TemplateRequests {

    /** A template's name: lower-case letters, digits, '-' and '_', starting with a letter or digit; it goes in paths. */
    public static final String NAME_PATTERN = "[a-z0-9][a-z0-9_-]{0,63}";
    private static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    /** The longest a placeholder may be declared: the longest string any transaction rule allows (a URL). */
    public static final int LONGEST_PLACEHOLDER = TransactionTemplateRules.MAX_URL;

    static final Set<String> FIELDS = Set.of("name", "template_type", "language", "elements", "buttons", "placeholders");
    static final List<String> CONTENT = List.of("template_type", "language", "elements", "buttons");

    /** A template as a consumer saved it, checked: what a new version stores. */
    public record Draft(String name, String templateType, String language, JsonNode elements, JsonNode buttons,
            Map<String, Integer> placeholders) {
    }

    private TemplateRequests() {
    }

    /** {@code POST /v1/templates}: the body names the template. */
    public static Draft create(JsonNode body) {
        return read(body, null);
    }

    /** {@code PUT /v1/templates/{name}}: the path names it; a name in the body, if any, must be the same. */
    public static Draft replace(String name, JsonNode body) {
        return read(body, name);
    }

    private static Draft read(JsonNode body, String pathName) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("body", "must be a JSON object");
        }
        List<Violation> violations = new ArrayList<>();
        for (Iterator<String> names = body.fieldNames(); names.hasNext();) {
            String field = names.next();
            if (!FIELDS.contains(field)) {
                violations.add(new Violation(field, "is not a field of a stored template (name, template_type, language, "
                        + "elements, buttons, placeholders); a message's recipient and options go in the message"));
            }
        }
        String name = readName(body.get("name"), pathName, violations);
        Map<String, Integer> declared = readPlaceholders(body.get("placeholders"), violations);
        checkMarks(body, declared, violations);
        ObjectNode longest = JsonNodeFactory.instance.objectNode();
        for (String field : CONTENT) {
            JsonNode value = body.get(field);
            if (value != null) {
                longest.set(field, Placeholders.fill(value, placeholder -> declared.containsKey(placeholder)
                        ? Placeholders.filler(declared.get(placeholder)) : null));
            }
        }
        for (Violation broken : TransactionTemplateRules.check(longest)) {
            List<String> inIt = Placeholders.namesAt(body, broken.field()).stream().filter(declared::containsKey).toList();
            violations.add(inIt.isEmpty() ? broken : new Violation(broken.field(), broken.message() + " (checked with "
                    + String.join(", ", inIt.stream().map(p -> "{{" + p + "}} at its longest, " + declared.get(p)
                            + " characters").toList()) + ")"));
        }
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        JsonNode buttons = body.get("buttons");
        return new Draft(name, body.get("template_type").asText(), body.get("language").asText(), body.get("elements"),
                buttons == null || buttons.isNull() ? null : buttons, declared);
    }

    private static String readName(JsonNode name, String pathName, List<Violation> violations) {
        if (pathName != null) {
            if (name != null && !name.isNull() && !(name.isTextual() && name.asText().equals(pathName))) {
                violations.add(new Violation("name", "must be the name in the path (" + pathName + "), or left out"));
            }
            return pathName;
        }
        if (name == null || name.isNull()) {
            violations.add(new Violation("name", "is required"));
        } else if (!name.isTextual() || !NAME.matcher(name.asText()).matches()) {
            violations.add(new Violation("name", "must be 1 to 64 of a-z, 0-9, '-' and '_', starting with a letter or a digit"));
        } else {
            return name.asText();
        }
        return null;
    }

    /** The declared placeholders and their longest lengths, in the order written. */
    private static Map<String, Integer> readPlaceholders(JsonNode placeholders, List<Violation> violations) {
        Map<String, Integer> declared = new LinkedHashMap<>();
        if (placeholders == null || placeholders.isNull()) {
            return declared;
        }
        if (!placeholders.isObject()) {
            violations.add(new Violation("placeholders", "must be an object: {\"order_code\": {\"max_length\": 20}}"));
            return declared;
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = placeholders.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = "placeholders." + field.getKey();
            if (!Placeholders.NAME.matcher(field.getKey()).matches()) {
                violations.add(new Violation(path, "is not a placeholder name: " + Placeholders.NAME_PATTERN));
                continue;
            }
            JsonNode spec = field.getValue();
            if (spec == null || !spec.isObject()) {
                violations.add(new Violation(path, "must be an object: {\"max_length\": 20}"));
                continue;
            }
            for (Iterator<String> names = spec.fieldNames(); names.hasNext();) {
                String unknown = names.next();
                if (!unknown.equals("max_length")) {
                    violations.add(new Violation(path + "." + unknown, "is not a field of a placeholder (max_length)"));
                }
            }
            JsonNode max = spec.get("max_length");
            if (max == null || max.isNull()) {
                violations.add(new Violation(path + ".max_length", "is required"));
            } else if (!max.canConvertToInt() || !max.isIntegralNumber() || max.asInt() < 1 || max.asInt() > LONGEST_PLACEHOLDER) {
                violations.add(new Violation(path + ".max_length", "must be an integer from 1 to " + LONGEST_PLACEHOLDER));
            } else {
                declared.put(field.getKey(), max.asInt());
            }
        }
        return declared;
    }

    /** Every mark well formed, where a value may vary, and declared; every declared placeholder used. */
    private static void checkMarks(JsonNode body, Map<String, Integer> declared, List<Violation> violations) {
        Set<String> used = new java.util.HashSet<>();
        for (String field : CONTENT) {
            for (Placeholders.Use use : Placeholders.find(body.get(field), field)) {
                if (!use.wellFormed()) {
                    violations.add(new Violation(use.path(), "{{" + use.name() + "}} is not a placeholder: a name is "
                            + Placeholders.NAME_PATTERN + ", with no spaces"));
                } else if (field.equals("template_type") || field.equals("language")) {
                    violations.add(new Violation(use.path(), "takes no placeholder: a template has one type and one language"));
                } else {
                    used.add(use.name());
                    if (!declared.containsKey(use.name()) && !isInvalidDeclaration(body, use.name())) {
                        violations.add(new Violation(use.path(), "uses {{" + use.name() + "}}, which placeholders does not "
                                + "declare: add \"" + use.name() + "\": {\"max_length\": n}"));
                    }
                }
            }
        }
        for (String name : declared.keySet()) {
            if (!used.contains(name)) {
                violations.add(new Violation("placeholders." + name, "is declared but used nowhere in the template"));
            }
        }
    }

    /** Declared, but wrongly (already reported at its declaration): not reported again where it is used. */
    private static boolean isInvalidDeclaration(JsonNode body, String name) {
        JsonNode placeholders = body.get("placeholders");
        return placeholders != null && placeholders.isObject() && placeholders.has(name);
    }
}
