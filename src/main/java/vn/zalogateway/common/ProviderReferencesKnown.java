package vn.zalogateway.common;

/**
 * Fired when provider references (eSMS SMSIDs, eTelecom journey ids) were recorded, so that receipts
 * that arrived before them can be applied now. Carries nothing: listeners look in the database.
 */
public record ProviderReferencesKnown() {
}
