package vn.zalogateway.common.problem;

/**
 * One broken rule of a request: {@code field} is the JSON path of the offending value in the
 * consumer's own vocabulary (for example {@code elements[3].content[0].key}).
 */
public record Violation(String field, String message) {
}
