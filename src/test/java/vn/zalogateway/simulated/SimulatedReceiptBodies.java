package vn.zalogateway.simulated;

import java.time.Instant;

import vn.zalogateway.simulator.ProviderBodies;

/** The receipts the simulator sends for a message, for benchmarks that send them without the simulator's timing. */
public final class SimulatedReceiptBodies {

    private SimulatedReceiptBodies() {
    }

    private static ProviderBodies.Message message(String smsId, String messageId, String oaId, String userId) {
        return new ProviderBodies.Message(smsId, messageId, oaId, userId, "zalo-" + smsId, false);
    }

    /** NXCloud's {@code success} receipt (JSON). */
    public static String nxcloudSuccess(String smsId, String messageId, String oaId, String userId) {
        return ProviderBodies.nxcloudSuccess(message(smsId, messageId, oaId, userId), 4999, Instant.now()).encode();
    }

    /** NXCloud's {@code delivered} receipt (JSON). */
    public static String nxcloudDelivered(String smsId, String messageId, String oaId, String userId) {
        return ProviderBodies.nxcloudDelivered(message(smsId, messageId, oaId, userId), Instant.now()).encode();
    }

    /** eSMS's callback, as the query of its GET. */
    public static String esmsCallbackQuery(String smsId, String messageId, String oaId, String userId) {
        return ProviderBodies.query(ProviderBodies.esmsCallback(message(smsId, messageId, oaId, userId)));
    }
}
