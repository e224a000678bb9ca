package vn.zalogateway.simulated;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import vn.zalogateway.simulator.ProviderBodies;

/**
 * The receipts the simulator sends for a message, for benchmarks that send them without the simulator's timing. As
 * the simulator's, NXCloud's receipts quote NXCloud's own requestId and Zalo's message id, which the gateway learns
 * from eSMS's callback: both are derived from the SMSID, so that the three receipts of one message agree.
 */
public final class SimulatedReceiptBodies {

    private SimulatedReceiptBodies() {
    }

    private static ProviderBodies.Message message(String smsId, String messageId, String oaId, String userId) {
        String hex = UUID.nameUUIDFromBytes(smsId.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
        return new ProviderBodies.Message(smsId, messageId, ProviderBodies.NXCLOUD_REQUEST_ID_PREFIX + hex, oaId, userId,
                hex.substring(0, 20), false);
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
