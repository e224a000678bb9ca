package vn.zalogateway.common.problem;

import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Contract v1.3: an unknown field in a request body is a 400 violation that names it, never ignored, so that a typo
 * ({@code journey.tokentype}) cannot pass for a default, nor a feature this gateway lacks for one it has.
 */
public final class UnknownFields {

    /** A longer name is shown cut: a problem does not echo a hostile body back. */
    static final int LONGEST_NAME_SHOWN = 64;

    private UnknownFields() {
    }

    /**
     * A violation for each field of the object {@code node} that is not one of {@code known}, named {@code prefix} and
     * the field ({@code elements[2].colour}); {@code what} says whose fields {@code known} are ("a header element").
     */
    public static void check(JsonNode node, String prefix, String what, List<String> known, List<Violation> violations) {
        for (Iterator<String> names = node.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!known.contains(name)) {
                String shown = name.length() > LONGEST_NAME_SHOWN ? name.substring(0, 20) + "…" : name;
                violations.add(new Violation(prefix + shown, "is not a field of " + what + " (" + String.join(", ", known)
                        + "): an unknown field is refused, not ignored"));
            }
        }
    }
}
