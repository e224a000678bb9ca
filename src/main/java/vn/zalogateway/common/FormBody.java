package vn.zalogateway.common;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A form post ({@code application/x-www-form-urlencoded}: the console's forms, eSMS's callback as a form), read here
 * rather than by JAX-RS' {@code @FormParam} or form map: a stranger's body that is broken as form encoding
 * ({@code %zz}) makes the framework's parser throw where no mapper sees it (a 500 and an ERROR); here such a field
 * is missing and named in {@link #undecodable()}. The first of a field given twice counts; a body longer than any
 * form the gateway takes is refused whole.
 */
public final class FormBody {

    /** Far longer than the largest form (the console's sign-in: a name, a password of at most 72 bytes, a token, a page; an eSMS callback). */
    public static final int LONGEST = 16 * 1024;

    private final Map<String, String> fields;
    private final List<String> undecodable;

    private FormBody(Map<String, String> fields, List<String> undecodable) {
        this.fields = fields;
        this.undecodable = undecodable;
    }

    /** The fields of the body; null when it is longer than {@link #LONGEST}. */
    public static FormBody read(byte[] body) {
        return read(body, LONGEST);
    }

    /** The fields of a body that may be longer than most forms (a template's JSON); null when it is longer than {@code longest}. */
    public static FormBody read(byte[] body, int longest) {
        if (body != null && body.length > longest) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        List<String> undecodable = new ArrayList<>();
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            int equals = pair.indexOf('=');
            String name = decoded(equals < 0 ? pair : pair.substring(0, equals));
            String value = decoded(equals < 0 ? "" : pair.substring(equals + 1));
            if (name == null || value == null) {
                undecodable.add(name != null ? name : "field " + (fields.size() + undecodable.size() + 1));
            } else if (!name.isEmpty()) {
                fields.putIfAbsent(name, value);
            }
        }
        return new FormBody(Collections.unmodifiableMap(fields), List.copyOf(undecodable));
    }

    /** Every field and its (first) value, in the order they came. */
    public Map<String, String> fields() {
        return fields;
    }

    /** The fields that could not be decoded (by name, or by position when the name itself is broken). */
    public List<String> undecodable() {
        return undecodable;
    }

    /** The field's value; null when it is missing (or could not be decoded). */
    public String get(String name) {
        return fields.get(name);
    }

    private static String decoded(String part) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException broken) {
            return null;
        }
    }
}
