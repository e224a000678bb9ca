package vn.zalogateway.console;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The console's form posts ({@code application/x-www-form-urlencoded}), read here rather than by JAX-RS'
 * {@code @FormParam}: a stranger's body that is broken as form encoding ({@code %zz}) makes the framework's
 * parser throw where no mapper sees it (a 500 and an ERROR); here such a field is simply missing. The first of
 * a field given twice counts; a body longer than any console form is refused whole.
 */
public final class FormBody {

    /** Far longer than the console's largest form (sign-in: a name, a password of at most 72 bytes, a token, a page). */
    public static final int LONGEST = 16 * 1024;

    private final Map<String, String> fields;

    private FormBody(Map<String, String> fields) {
        this.fields = fields;
    }

    /** The fields of the body; null when it is longer than {@link #LONGEST}. */
    public static FormBody read(byte[] body) {
        if (body != null && body.length > LONGEST) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        String text = body == null ? "" : new String(body, StandardCharsets.UTF_8);
        for (String pair : text.split("&")) {
            int equals = pair.indexOf('=');
            String name = decoded(equals < 0 ? pair : pair.substring(0, equals));
            String value = decoded(equals < 0 ? "" : pair.substring(equals + 1));
            if (name != null && value != null && !name.isEmpty()) {
                fields.putIfAbsent(name, value);
            }
        }
        return new FormBody(fields);
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
