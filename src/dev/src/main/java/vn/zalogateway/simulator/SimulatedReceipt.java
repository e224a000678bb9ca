package vn.zalogateway.simulator;

import java.util.Arrays;
import java.util.Optional;

/** The receipts the simulator can send back; the {@code receipts} setting lists which. */
public enum SimulatedReceipt {
    /**
     * NXCloud {@code success} (code 0, NXCloud's own requestId, Zalo's msg_id in zaloRes, cost, quota), or {@code failed}
     * (17004, no zaloRes.data) for a message Zalo refuses; for transaction and journey messages.
     */
    SUCCESS("success"),
    /** NXCloud {@code delivered} (17003, NXCloud's requestId only), for a message that did not fail. */
    DELIVERED("delivered"),
    /** eSMS's GET callback to the {@code CallbackUrl} of the send, when the send named one: SMSID, our RequestId, Zalo's msg_id (partnerids). */
    ESMS_CALLBACK("esms_callback"),
    /** NXCloud {@code journey_acknowledged} (17006, cost) when a token's first message is sent: its charging starts. */
    JOURNEY_ACKNOWLEDGED("journey_acknowledged"),
    /** NXCloud {@code journey_time_out} (17007) for a token never used before it expires ({@code token-lifetime}). */
    JOURNEY_TIME_OUT("journey_time_out");

    private final String wireName;

    SimulatedReceipt(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static Optional<SimulatedReceipt> fromWireName(String name) {
        return Arrays.stream(values()).filter(receipt -> receipt.wireName.equals(name)).findFirst();
    }
}
