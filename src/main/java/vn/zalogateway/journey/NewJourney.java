package vn.zalogateway.journey;

/** A validated, normalised request for a journey token. */
public record NewJourney(long oaId, String phone, TokenType tokenType) {

    /** What makes two requests "the same" for Idempotency-Key purposes: their meaning, not their spelling. */
    public String fingerprint() {
        return oaId + "|" + phone + "|" + tokenType.wireName();
    }
}
