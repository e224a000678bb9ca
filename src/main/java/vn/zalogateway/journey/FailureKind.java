package vn.zalogateway.journey;

/** Why an attempt to create a journey failed; decides what a consumer sees and whether a retry may reuse the key. */
public enum FailureKind {
    /** eTelecom said no (422): final, replayed to a retry with the same Idempotency-Key. */
    REFUSED,
    /** eTelecom unusable (502): a retry with the same key makes a new attempt. */
    UNAVAILABLE,
    /** eTelecom silent (504): a retry with the same key makes a new attempt. */
    TIMEOUT,
    /** The gateway stopped while calling eTelecom: a retry with the same key makes a new attempt. */
    ABANDONED
}
