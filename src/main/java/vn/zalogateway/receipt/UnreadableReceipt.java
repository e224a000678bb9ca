package vn.zalogateway.receipt;

import java.util.List;

import vn.zalogateway.common.problem.Violation;

/** Why a provider's receipt could not be read; the webhook keeps the raw body and answers 400 with these. */
public final class UnreadableReceipt extends RuntimeException {

    private final transient List<Violation> violations;

    UnreadableReceipt(List<Violation> violations) {
        super(violations.toString(), null, false, false);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
