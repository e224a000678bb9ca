package vn.zalogateway.journey;

/** Why an attempt to create a journey failed; decides what a consumer sees and whether a retry may reuse the key. */
public enum FailureKind {
    // Only NOT_REACHED is certain that eTelecom made nothing: the one the message pipeline tries again by itself.
    /** eTelecom said no (422): final, replayed to a retry with the same Idempotency-Key. */
    REFUSED,
    /** eTelecom could not be reached (502): the request never left, nothing was created; a retry makes a new attempt. */
    NOT_REACHED,
    /** eTelecom unusable (502: a 5xx, an answer the gateway cannot read): a token may have been made; a retry with the same key makes a new attempt. */
    UNAVAILABLE,
    /** eTelecom silent (504): a token may have been made; a retry with the same key makes a new attempt. */
    TIMEOUT,
    /** The gateway stopped while calling eTelecom: a retry with the same key makes a new attempt. */
    ABANDONED
}
