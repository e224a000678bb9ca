package vn.zalogateway.ledger;

/** What a charge pays for. */
public enum ChargeItem {
    /** Sending the message on Zalo (NXCloud's receipt cost, or eTelecom's fee_main). */
    MESSAGE("message"),
    /** A journey token, charged once from its first message (eTelecom's fee_token, or the journey_acknowledged receipt). */
    JOURNEY_TOKEN("journey_token"),
    /** The SMS a message fell back to (eSMS's TotalPrice). */
    SMS("sms");

    private final String wireName;

    ChargeItem(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    static ChargeItem fromWireName(String name) {
        for (ChargeItem item : values()) {
            if (item.wireName.equals(name)) {
                return item;
            }
        }
        throw new IllegalArgumentException("unknown charge item " + name);
    }
}
