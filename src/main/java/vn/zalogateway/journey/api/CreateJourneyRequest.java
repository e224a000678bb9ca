package vn.zalogateway.journey.api;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shape of {@code POST /v1/journeys}, for the OpenAPI document only: the body is read as JSON by
 * {@code JourneyRequests}, so that every violation, an unknown field among them, is reported at once.
 */
@Schema(name = "CreateJourneyRequest", description = "A journey token to create for a phone. A field not listed here is "
        + "refused (400)", additionalProperties = Schema.False.class)
public record CreateJourneyRequest(
        @Schema(required = true, description = "A string of digits (as eTelecom sends it) or a number",
                example = "3041812345605770721") String oaId,
        @Schema(required = true, description = "0912345678, 84912345678 or +84912345678", example = "0912345678") String phone,
        @Schema(enumeration = { "token_logistics_7", "token_logistics_30", "token_coach_bus_7", "token_coach_bus_30",
                "unknown" }, defaultValue = "token_logistics_7") String tokenType) {
}
