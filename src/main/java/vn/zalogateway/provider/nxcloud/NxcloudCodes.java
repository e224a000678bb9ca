package vn.zalogateway.provider.nxcloud;

import java.util.Map;

/** What NXCloud's receipt codes mean (the seed's code table, plus 17007 which its example uses). */
public final class NxcloudCodes {

    private static final Map<Integer, String> MEANINGS = Map.ofEntries(
            Map.entry(0, "Sent to Zalo"),
            Map.entry(1100, "Customer account missing or unavailable"),
            Map.entry(1102, "Insufficient balance"),
            Map.entry(9000, "Bad request parameters"),
            Map.entry(9001, "Provider system business error"),
            Map.entry(9002, "Bad phone number"),
            Map.entry(9003, "Customer app missing or unavailable"),
            Map.entry(9004, "Customer app has no quotation"),
            Map.entry(9005, "Customer app routes missing"),
            Map.entry(9999, "Unknown provider error"),
            Map.entry(17003, "Delivered to the Zalo user"),
            Map.entry(17004, "Zalo refused to send (see the Zalo response)"),
            Map.entry(17005, "Zalo API timed out"),
            Map.entry(17006, "Journey token charging started"),
            Map.entry(17007, "Journey token expired without being used"));

    private NxcloudCodes() {
    }

    /** The meaning of a code, or null for a code outside the table. */
    public static String meaning(Integer code) {
        return code == null ? null : MEANINGS.get(code);
    }
}
