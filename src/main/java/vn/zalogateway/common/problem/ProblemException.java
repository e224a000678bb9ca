package vn.zalogateway.common.problem;

import java.util.List;

/** Ends a request with the given problem; thrown by services and mapped by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.title() + ": " + problem.detail(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
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
