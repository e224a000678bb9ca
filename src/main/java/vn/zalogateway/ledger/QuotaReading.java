package vn.zalogateway.ledger;

import java.time.Instant;

/** An OA's Zalo quota as a provider reported it at {@code reportedAt}; {@code dailyQuota} may be unknown. */
public record QuotaReading(long oaId, int remainingQuota, Integer dailyQuota, Instant reportedAt, Source source) {

    /** Where the reading came from. */
    public enum Source {
        /** A receipt matched to its message or journey (the OA is theirs). */
        RECEIPT,
        /** A provider's answer when the gateway asked (eSMS ZNS/GetQuota, eTelecom GetShopOA). */
        PROVIDER;

        String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }
}
