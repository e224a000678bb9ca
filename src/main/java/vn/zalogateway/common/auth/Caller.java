package vn.zalogateway.common.auth;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;

import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;

/** The authenticated consumer (or administrator) of the current request, set by {@link ApiKeyFilter}. */
@RequestScoped
public class Caller {

    private ConsumerIdentity identity;
    private String administrator;

    void authenticate(ConsumerIdentity identity) {
        this.identity = identity;
    }

    /** @param keyFingerprint which administrator's key: a short prefix of its SHA-256, never the key */
    void authenticateAdministrator(String keyFingerprint) {
        this.administrator = keyFingerprint;
    }

    /**
     * Who is calling, for the audit trail: {@code admin:<first 8 hex digits of the key's SHA-256>} or
     * {@code consumer:<name>}; never a key.
     */
    public String actor() {
        if (administrator != null) {
            return "admin:" + administrator;
        }
        return identity == null ? "anonymous" : "consumer:" + identity.name();
    }

    public ConsumerIdentity identity() {
        if (identity == null) {
            throw new IllegalStateException("No authenticated consumer on this request");
        }
        return identity;
    }

    /** The consumer's id: what its rows carry, and the scope of its Idempotency-Keys. */
    public UUID consumerId() {
        return identity().id();
    }

    /** The scope of the caller's Idempotency-Keys. */
    public String consumer() {
        return consumerId().toString();
    }

    /** 403 {@code forbidden-oa} when the consumer may not use the OA. */
    public void checkOa(long oaId) {
        if (!identity().mayUse(oaId)) {
            throw new ProblemException(Problem.of(403, "forbidden-oa", "OA not allowed",
                    "Consumer " + identity().name() + " may not use OA " + oaId + "; an administrator can add it to its oa_ids")
                    .withViolations(java.util.List.of(new Violation("oa_id", "is not one of this consumer's OAs"))));
        }
    }
}
