package vn.zalogateway.common.problem;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * One broken rule of a request: {@code field} is the JSON path of the offending value in the
 * consumer's own vocabulary (for example {@code elements[3].content[0].key}).
 */
@RegisterForReflection // serialised inside a Problem, which Quarkus cannot see from any resource signature
public record Violation(String field, String message) {
}
