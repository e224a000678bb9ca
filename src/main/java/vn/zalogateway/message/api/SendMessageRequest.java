package vn.zalogateway.message.api;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shape of {@code POST /v1/messages}, for the OpenAPI document only: the body is read as JSON by
 * {@link vn.zalogateway.message.MessageRequests}, so that every broken rule, wrong types included,
 * is reported at once.
 */
@Schema(name = "SendMessageRequest", description = "A Zalo transaction message; elements and buttons are Zalo's own shapes")
public record SendMessageRequest(
        @Schema(required = true, example = "3041812345605770721") String oaId,
        @Schema(required = true, example = "5830123456789") String userId,
        @Schema(required = true, enumeration = { "transaction_billing", "transaction_order", "transaction_reward",
                "transaction_contract", "transaction_booking", "transaction_membership", "transaction_event",
                "transaction_transaction", "transaction_account", "transaction_internal", "transaction_partnership",
                "transaction_education", "transaction_rating" }) String templateType,
        @Schema(required = true, enumeration = { "VI", "EN" }) String language,
        @Schema(required = true, description = "banner (first, at most one), header (exactly one), text (at most two), table (at most one)")
        List<Map<String, Object>> elements,
        @Schema(description = "At most 4 CTA buttons") List<Map<String, Object>> buttons,
        @Schema(defaultValue = "false", description = "eSMS sandbox: not delivered, not charged") Boolean sandbox,
        @Schema(description = "ISO-8601 with offset, or yyyy-MM-dd HH:mm:ss in Asia/Ho_Chi_Minh; later means SCHEDULED",
                example = "2026-12-01 09:00:00") String sendAt,
        @Schema(description = "Echoed back in the message and its receipts", maxLength = 1000) String ext,
        @Schema(description = "Create a journey token first and send the message with it") Journey journey,
        @Schema(description = "Or: the id of a journey this gateway created") String journeyId) {

    public record Journey(
            @Schema(required = true, example = "0912345678") String phone,
            @Schema(enumeration = { "token_logistics_7", "token_logistics_30", "token_coach_bus_7", "token_coach_bus_30",
                    "unknown" }, defaultValue = "token_logistics_7") String tokenType) {
    }
}
