package vn.zalogateway.message;

/** Why a message's SMS fallback went (contract v1.3). */
public enum FallbackReason {
    /** The Zalo attempt ended FAILED. */
    ZALO_FAILED("zalo_failed"),
    /** The Zalo attempt was not DELIVERED within the message's {@code after}. */
    NOT_DELIVERED_IN_TIME("not_delivered_in_time"),
    /** The Zalo attempt became UNCONFIRMED. */
    UNCONFIRMED("unconfirmed"),
    /** The OA's queue is held for quota and the message would wait. */
    OA_QUOTA_HELD("oa_quota_held");

    private final String wireName;

    FallbackReason(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static FallbackReason fromWireName(String name) {
        for (FallbackReason reason : values()) {
            if (reason.wireName.equals(name)) {
                return reason;
            }
        }
        return null;
    }
}
