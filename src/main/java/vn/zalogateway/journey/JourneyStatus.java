package vn.zalogateway.journey;

/**
 * Where a journey token stands. {@code PENDING} and {@code FAILED} belong to our attempt to create it;
 * the others come from eTelecom's status letter and, later, from receipts.
 */
public enum JourneyStatus {
    /** Saved, eTelecom being called. */
    PENDING,
    /** eTelecom Z: created. */
    NEW,
    /** eTelecom P: enabled. */
    ENABLED,
    /** eTelecom N: disabled. */
    DISABLED,
    /** eTelecom answered a status letter it documents none of; the letter is kept in provider_status. */
    UNKNOWN,
    /** Receipt journey_acknowledged: the first message used it, charging started. */
    ACKNOWLEDGED,
    /** Receipt journey_time_out: expired, never used. */
    TIMED_OUT,
    /** eTelecom refused it, could not be reached, or the attempt was given up (the gateway stopped mid-call). */
    FAILED,
    /**
     * Read only, never stored: a live token (NEW, ENABLED, DISABLED, UNKNOWN) past its {@code expires_at}, no receipt
     * having finalised it. A later journey_time_out still records TIMED_OUT.
     */
    EXPIRED;

    public static final String PATTERN = "PENDING|NEW|ENABLED|DISABLED|UNKNOWN|ACKNOWLEDGED|TIMED_OUT|FAILED|EXPIRED";
    public static final String MESSAGE = "must be one of: PENDING, NEW, ENABLED, DISABLED, UNKNOWN, ACKNOWLEDGED, TIMED_OUT, FAILED, EXPIRED";

    /** The tokens eTelecom gave us that no receipt has finalised yet: these expire. */
    static final java.util.Set<JourneyStatus> LIVE = java.util.EnumSet.of(NEW, ENABLED, DISABLED, UNKNOWN);

    /**
     * eTelecom's status letter. An absent one reads as a new token, which is what a success means; a letter
     * eTelecom documents none of is UNKNOWN (shown as it came in provider_status), never silently NEW.
     */
    static JourneyStatus fromProviderStatus(String letter) {
        if (letter == null || letter.isBlank()) {
            return NEW;
        }
        return switch (letter) {
            case "Z" -> NEW;
            case "P" -> ENABLED;
            case "N" -> DISABLED;
            default -> UNKNOWN;
        };
    }
}
