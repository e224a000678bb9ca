package vn.zalogateway.provider;

import java.util.Map;

/**
 * What a provider's failure means for what the gateway can do next, read from the providers' documented codes:
 * the recipient cannot be reached on Zalo (an SMS may), the OA's quota is spent, the template or payload is wrong,
 * the sender's account is at fault, it may pass, or unknown. A code the documents do not explain is
 * {@link #UNKNOWN}, never guessed; the provider's own code and words are always kept beside it.
 */
public enum ErrorClass {
    RECIPIENT_UNREACHABLE("recipient_unreachable"),
    QUOTA("quota"),
    TEMPLATE("template"),
    ACCOUNT("account"),
    TRANSIENT("transient"),
    UNKNOWN("unknown");

    /** Zalo's own error numbers (ZNS), as eSMS's error_info and NXCloud's zaloRes report them. */
    private static final Map<Integer, ErrorClass> ZALO = Map.of(
            -108, RECIPIENT_UNREACHABLE, // phone invalid
            -114, RECIPIENT_UNREACHABLE, // user inactive, refused the message, or an outdated Zalo
            -118, RECIPIENT_UNREACHABLE, // Zalo account does not exist
            -109, TEMPLATE,              // template id invalid
            -111, TEMPLATE);             // template data empty

    /**
     * NXCloud's code table. 1100 and 9003 ("Customer [APP] does not exist / Status is unavailable") are the sender's
     * NXCloud account and app: the seed's remedy is to have NXCloud's staff fix the account (docs/SEED-READINGS.md).
     */
    private static final Map<String, ErrorClass> NXCLOUD = Map.of(
            "1100", ACCOUNT, "1102", ACCOUNT, "9003", ACCOUNT, "9004", ACCOUNT, "9005", ACCOUNT,
            "9002", RECIPIENT_UNREACHABLE,   // phone number error
            "17005", TRANSIENT);             // Zalo API timeout

    /** eSMS's CodeResult table (Zalo and SMS sends). */
    private static final Map<String, ErrorClass> ESMS = Map.ofEntries(
            Map.entry("99", RECIPIENT_UNREACHABLE),  // blocked number
            Map.entry("108", RECIPIENT_UNREACHABLE), // bad phone format
            Map.entry("101", ACCOUNT), Map.entry("102", ACCOUNT), Map.entry("103", ACCOUNT), Map.entry("104", ACCOUNT),
            Map.entry("140", ACCOUNT), Map.entry("143", ACCOUNT), Map.entry("177", ACCOUNT), Map.entry("204", ACCOUNT),
            Map.entry("799", ACCOUNT),
            Map.entry("146", TEMPLATE), Map.entry("201", TEMPLATE), Map.entry("210", TEMPLATE), Map.entry("789", TEMPLATE),
            Map.entry("790", TEMPLATE), Map.entry("791", TEMPLATE),
            Map.entry("801", QUOTA), Map.entry("802", QUOTA),
            Map.entry("160", TRANSIENT));

    private final String wireName;

    ErrorClass(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /**
     * The class of a failure {@code provider} ("nxcloud", "esms", "etelecom", or the gateway's own) reported with
     * {@code code}, and Zalo's own error number when it relayed one (which wins: it is the most precise).
     */
    public static ErrorClass of(String provider, String code, Integer zaloError) {
        if (zaloError != null && ZALO.containsKey(zaloError)) {
            return ZALO.get(zaloError);
        }
        if (code == null) {
            return UNKNOWN;
        }
        Map<String, ErrorClass> table = switch (provider == null ? "" : provider.toLowerCase(java.util.Locale.ROOT)) {
            case "nxcloud" -> NXCLOUD;
            case "esms" -> ESMS;
            default -> Map.of();
        };
        return table.getOrDefault(code, UNKNOWN);
    }

    public static ErrorClass fromWireName(String name) {
        for (ErrorClass errorClass : values()) {
            if (errorClass.wireName.equals(name)) {
                return errorClass;
            }
        }
        return null;
    }
}
