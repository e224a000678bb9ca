package vn.zalogateway.message.api;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shape of {@code POST /v1/messages}, for the OpenAPI document only: the body is read as JSON by
 * {@link vn.zalogateway.message.MessageRequests}, so that every broken rule, wrong types included,
 * is reported at once. A field it does not list is refused, never ignored (contract v1.3): additionalProperties false.
 */
@Schema(name = "SendMessageRequest", description = "A Zalo transaction message (kind transaction, the default: through eSMS; "
        + "elements and buttons are Zalo's own shapes), or a ZNS journey message (kind zns_journey: through eTelecom "
        + "SendZNSJourney with a journey token; phone, template_id, template_data and journey or journey_id). "
        + "A field not listed here is refused (400), at every level", additionalProperties = Schema.False.class)
public record SendMessageRequest(
        @Schema(enumeration = { "transaction", "zns_journey" }, defaultValue = "transaction") String kind,
        @Schema(required = true, example = "3041812345605770721") String oaId,
        @Schema(description = "transaction: the recipient's Zalo user id", example = "5830123456789") String userId,
        @Schema(description = "transaction only", enumeration = { "transaction_billing", "transaction_order", "transaction_reward",
                "transaction_contract", "transaction_booking", "transaction_membership", "transaction_event",
                "transaction_transaction", "transaction_account", "transaction_internal", "transaction_partnership",
                "transaction_education", "transaction_rating" }) String templateType,
        @Schema(description = "transaction only", enumeration = { "VI", "EN" }) String language,
        @Schema(description = "transaction only: banner (first, at most one), header (exactly one), text (at most two), table (at most one)")
        List<Map<String, Object>> elements,
        @Schema(description = "At most 4 CTA buttons") List<Map<String, Object>> buttons,
        @Schema(defaultValue = "false", description = "transaction only: eSMS sandbox, not delivered, not charged, never reported") Boolean sandbox,
        @Schema(description = "zns_journey: the recipient's phone (0912345678, 84912345678 or +84912345678)", example = "0912345678")
        String phone,
        @Schema(description = "zns_journey: the approved ZNS template's id", example = "231456", minimum = "1") Integer templateId,
        @Schema(description = "zns_journey: the template's parameters, strings or numbers", example = "{\"order_code\": \"DH-001\"}")
        Map<String, Object> templateData,
        @Schema(description = "ISO-8601 with offset, or yyyy-MM-dd HH:mm:ss in Asia/Ho_Chi_Minh; later means SCHEDULED",
                example = "2026-12-01 09:00:00") String sendAt,
        @Schema(description = "Echoed back in the message and its receipts", maxLength = 1000) String ext,
        @Schema(description = "zns_journey: create a journey token for the phone first and send the message with it") Journey journey,
        @Schema(description = "zns_journey, or: the id of a journey of the same OA and phone whose token carries the message")
        String journeyId,
        @Schema(description = "transaction: a stored template and the values of its placeholders, instead of template_type, "
                + "language, elements and buttons") Template template,
        @Schema(description = "An SMS through eSMS when Zalo cannot reach the customer: the Zalo attempt failed, was not "
                + "delivered within after, became UNCONFIRMED, or the OA's quota is held") Fallback fallback,
        @Schema(description = "When the message may go (Asia/Ho_Chi_Minh); outside it, it waits for the window to open. "
                + "Left out: the consumer's default window, or any time") SendWindow sendWindow) {

    @Schema(name = "StoredTemplateRef", additionalProperties = Schema.False.class)
    public record Template(
            @Schema(required = true, example = "order-status") String name,
            @Schema(description = "left out: the latest", example = "3", minimum = "1") Integer version,
            @Schema(description = "each placeholder's value, a string or a number", example = "{\"order_code\": \"DH-001\"}")
            Map<String, Object> data) {
    }

    @Schema(name = "FallbackRequest", additionalProperties = Schema.False.class)
    public record Fallback(
            @Schema(required = true) Sms sms,
            @Schema(description = "ISO-8601 duration, PT1M to PT24H: the SMS goes when Zalo has not delivered by then. "
                    + "Left out: only on failure, UNCONFIRMED or a quota hold", example = "PT15M") String after) {

        @Schema(name = "FallbackSmsRequest", additionalProperties = Schema.False.class)
        public record Sms(
                @Schema(description = "Required for a transaction message; a zns_journey message's phone by default",
                        example = "0912345678") String phone,
                @Schema(required = true, description = "At most 4 SMS parts: 612 GSM-7 characters, or 268 with Vietnamese "
                        + "diacritics", example = "Don hang DH-001 dang giao. Tra cuu: shop.vn/dh") String text,
                @Schema(description = "A registered eSMS brandname; left out: gateway.sms.brandname", maxLength = 20,
                        example = "SHOP-A") String brandname) {
        }
    }

    /** A send window; the admin consumer PATCH takes the same shape as a consumer's default. */
    @Schema(name = "SendWindowRequest", description = "from (inclusive) to (exclusive), HH:mm in Asia/Ho_Chi_Minh; "
            + "from later than to spans midnight (22:00 to 06:00)", additionalProperties = Schema.False.class)
    public record SendWindow(
            @Schema(required = true, pattern = "^\\d{2}:\\d{2}$", example = "07:00") String from,
            @Schema(required = true, pattern = "^\\d{2}:\\d{2}$", example = "22:00") String to) {
    }

    @Schema(name = "JourneyRequest", additionalProperties = Schema.False.class)
    public record Journey(
            @Schema(description = "optional: the message's phone", example = "0912345678") String phone,
            @Schema(enumeration = { "token_logistics_7", "token_logistics_30", "token_coach_bus_7", "token_coach_bus_30",
                    "unknown" }, defaultValue = "token_logistics_7") String tokenType) {
    }
}
