package vn.zalogateway.common.problem;

import java.util.List;
import java.util.Map;

/** Ends a request with the given problem; thrown by services and mapped by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final transient Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    private ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = headers;
    }

    public Problem problem() {
        return problem;
    }

    /** Headers the answer carries besides the problem (Retry-After, say). */
    public Map<String, String> headers() {
        return headers;
    }

    public ProblemException withHeaders(Map<String, String> more) {
        Map<String, String> all = new java.util.LinkedHashMap<>(headers);
        all.putAll(more);
        return new ProblemException(problem, Map.copyOf(all));
    }

    public static ProblemException invalid(List<Violation> violations) {
        return new ProblemException(Problem.of(400, "validation", "Invalid request",
                violations.size() == 1 ? "1 rule is broken" : violations.size() + " rules are broken")
                .withViolations(violations));
    }

    public static ProblemException invalid(String field, String message) {
        return invalid(List.of(new Violation(field, message)));
    }

    public static ProblemException notFound(String what) {
        return new ProblemException(Problem.of(404, "not-found", "Not found", what + " does not exist"));
    }
}
