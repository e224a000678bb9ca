package vn.zalogateway.common.audit;

import org.jboss.logging.Logger;

/**
 * The audit trail: one log line per security-relevant change (who did what to which subject), in the
 * logger category {@code audit} so that a log pipeline can keep it apart and longer. Never a secret or
 * key in it: subjects are ids and names, actors are consumer, operator or administrator names.
 */
public final class Audit {

    /** The category every audit line is written under. */
    public static final String CATEGORY = "audit";

    private static final Logger LOG = Logger.getLogger(CATEGORY);

    private Audit() {
    }

    /**
     * Writes one audit line: {@code actor} who did it (e.g. {@code admin:<key id>}, {@code operator:alice},
     * {@code consumer:shop-a}), {@code action} a dotted verb ({@code consumer.key.issued}), {@code subject}
     * what it was done to (an id or name; never a secret).
     */
    public static void record(String actor, String action, String subject) {
        LOG.infof("audit actor=%s action=%s subject=%s", actor, action, subject);
    }
}
