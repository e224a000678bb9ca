package vn.zalogateway.provider;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An OA's Zalo quota today as a provider answered it when asked (eSMS {@code ZNS/GetQuota}, eTelecom
 * {@code GetShopOA}): what is left, and the day's limit when the answer gave one the gateway can read.
 */
public record OaQuota(int remainingQuota, Integer dailyQuota) {

    /** The longest digits read as a count: {@code oa_quotas} keeps integers. */
    private static final int LONGEST_COUNT = 10;

    /**
     * A count as the providers write it: a whole JSON number, or a string of digits (eSMS's page types its quotas
     * "string" and shows numbers). Null for anything else, a negative one, or one larger than an int: never guessed.
     */
    public static Integer count(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        long count;
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            count = value.longValue();
        } else if (value.isTextual() && value.asText().trim().matches("\\d{1," + LONGEST_COUNT + "}")) {
            count = Long.parseLong(value.asText().trim());
        } else {
            return null;
        }
        return count < 0 || count > Integer.MAX_VALUE ? null : (int) count;
    }
}
