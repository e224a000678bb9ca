package vn.zalogateway.storedtemplate;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The {@code {{placeholder}}} marks in a template's strings: finding them (each with the JSON path of the string that
 * holds it) and filling them in. Names are {@code [a-z0-9_]{1,40}}, written without spaces; anything else between
 * {@code {{} and {@code }}} is a malformed mark, reported rather than sent as it is. Filling is one pass: a value that
 * itself contains {@code {{x}}} is put in as it is, never filled again. Plain code, no Quarkus.
 */
public final class Placeholders {

    public static final String NAME_PATTERN = "[a-z0-9_]{1,40}";
    static final Pattern NAME = Pattern.compile(NAME_PATTERN);
    /** A mark: two braces, anything without braces (a bad name is reported, not skipped), two braces. */
    static final Pattern MARK = Pattern.compile("\\{\\{([^{}]*)\\}\\}");
    /**
     * What stands in for a placeholder when a template is checked at save: as many {@code '0'} as its max_length, so
     * that every length rule sees the longest value a message may bring. A digit, so that a placeholder in a field whose
     * form is digits (a button's phone_code) or part of a URL passes that form rule and only the length decides.
     */
    static final char FILLER = '0';

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private Placeholders() {
    }

    /** One mark in a string: the string's JSON path, and what stood between the braces. */
    public record Use(String path, String name) {
        public boolean wellFormed() {
            return NAME.matcher(name).matches();
        }
    }

    /** Every mark in every string under {@code node}, in document order; {@code path} names {@code node} itself. */
    public static List<Use> find(JsonNode node, String path) {
        List<Use> uses = new ArrayList<>();
        collect(node, path, uses);
        return uses;
    }

    private static void collect(JsonNode node, String path, List<Use> uses) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            Matcher mark = MARK.matcher(node.asText());
            while (mark.find()) {
                uses.add(new Use(path, mark.group(1)));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(node.get(i), path + "[" + i + "]", uses);
            }
        } else if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                collect(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), uses);
            }
        }
    }

    /**
     * A copy of {@code node} with each mark replaced by {@code valueOf(name)}; a mark whose name has no value (null) is
     * left as it is. Object keys are not filled: only values are strings a message shows.
     */
    public static JsonNode fill(JsonNode node, Function<String, String> valueOf) {
        if (node == null) {
            return null;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(fillText(node.asText(), valueOf));
        }
        if (node.isArray()) {
            ArrayNode copy = JSON.arrayNode(node.size());
            node.forEach(element -> copy.add(fill(element, valueOf)));
            return copy;
        }
        if (node.isObject()) {
            ObjectNode copy = JSON.objectNode();
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext();) {
                Map.Entry<String, JsonNode> field = fields.next();
                copy.set(field.getKey(), fill(field.getValue(), valueOf));
            }
            return copy;
        }
        return node.deepCopy();
    }

    static String fillText(String text, Function<String, String> valueOf) {
        Matcher mark = MARK.matcher(text);
        if (!mark.find()) {
            return text;
        }
        StringBuilder filled = new StringBuilder(text.length() + 32);
        do {
            String value = valueOf.apply(mark.group(1));
            mark.appendReplacement(filled, Matcher.quoteReplacement(value == null ? mark.group() : value));
        } while (mark.find());
        mark.appendTail(filled);
        return filled.toString();
    }

    /** The value that stands for a placeholder of that longest length when a template is checked. */
    public static String filler(int maxLength) {
        return String.valueOf(FILLER).repeat(maxLength);
    }

    /** The node at a violation's path ({@code elements[2].content[0].key}) under {@code root}, or null. */
    static JsonNode at(JsonNode root, String path) {
        JsonNode node = root;
        Matcher step = Pattern.compile("([^.\\[\\]]+)|\\[(\\d+)\\]").matcher(path);
        while (node != null && step.find()) {
            node = step.group(1) != null ? node.get(step.group(1)) : node.get(Integer.parseInt(step.group(2)));
        }
        return node;
    }

    /** The distinct placeholder names in the string at {@code path} under {@code root}; empty when none. */
    static List<String> namesAt(JsonNode root, String path) {
        return find(at(root, path), path).stream().filter(Use::wellFormed).map(Use::name).distinct().toList();
    }
}
