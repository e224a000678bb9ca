package vn.zalogateway.common.idempotency;

import vn.zalogateway.common.Sha256;
import vn.zalogateway.common.problem.ProblemException;

/**
 * A consumer's {@code Idempotency-Key} for one operation, with the fingerprint of the request it was
 * first used with. Keys are per consumer and per operation, so two consumers never collide.
 */
public record IdempotencyKey(String consumer, String operation, String key, String requestHash) {

    public static final String HEADER = "Idempotency-Key";
    /** Marks an answer that repeats the first answer to the same key. */
    public static final String REPLAYED_HEADER = "Idempotent-Replayed";
    private static final int LONGEST_KEY = 255;

    /** The key, or null when the header is absent; a malformed key is a 400 naming the header. */
    public static IdempotencyKey of(String consumer, String operation, String header, String requestFingerprint) {
        if (header == null) {
            return null;
        }
        if (header.isEmpty() || header.length() > LONGEST_KEY || !header.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            throw ProblemException.invalid(HEADER, "must be 1 to 255 visible ASCII characters, for example a UUID");
        }
        return new IdempotencyKey(consumer, operation, header, Sha256.hex(requestFingerprint));
    }
}
