package vn.zalogateway.batch;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.UnknownFields;
import vn.zalogateway.common.problem.Violation;

/**
 * A batch's envelope, read: its message bodies (each read later on its own, by MessageIntake) and its {@code ext}.
 * No list, or an empty one, a bad ext or any other field is a 400 (every violation at once); more than {@value #MOST}
 * bodies a 413. Plain code.
 */
record BatchRequest(List<JsonNode> messages, String ext) {

    /** The most messages one batch takes. */
    static final int MOST = 1000;
    static final int LONGEST_EXT = 1000;
    /** The envelope's fields; each message's own are read with the message. */
    static final List<String> FIELDS = List.of("messages", "ext");

    static BatchRequest read(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw ProblemException.invalid("body", "must be a JSON object with \"messages\": 1 to " + MOST + " message bodies");
        }
        JsonNode messages = body.get("messages");
        if (messages != null && messages.isArray() && messages.size() > MOST) {
            throw new ProblemException(Problem.of(413, "batch-too-large", "Batch too large",
                    "A batch holds at most " + MOST + " messages; this one has " + messages.size()
                            + ". Nothing was stored: send it in smaller batches"));
        }
        List<Violation> violations = new ArrayList<>();
        UnknownFields.check(body, "", "a batch", FIELDS, violations);
        if (messages == null || messages.isNull() || !messages.isArray()) {
            violations.add(new Violation("messages", "is required: a list of 1 to " + MOST + " message bodies"));
        } else if (messages.isEmpty()) {
            violations.add(new Violation("messages", "must hold 1 to " + MOST + " message bodies; it is empty"));
        }
        JsonNode ext = body.get("ext");
        if (ext != null && !ext.isNull() && (!ext.isTextual() || ext.textValue().length() > LONGEST_EXT)) {
            violations.add(new Violation("ext", "must be a string of at most " + LONGEST_EXT + " characters"));
        }
        if (!violations.isEmpty()) {
            throw ProblemException.invalid(violations);
        }
        List<JsonNode> bodies = new ArrayList<>(messages.size());
        messages.forEach(bodies::add);
        return new BatchRequest(bodies, ext == null || ext.isNull() ? null : ext.textValue());
    }
}
