package vn.zalogateway.storedtemplate.api;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The shape of {@code POST /v1/templates} and {@code PUT /v1/templates/{name}}, for the OpenAPI document only: the body
 * is read as JSON by {@link vn.zalogateway.storedtemplate.TemplateRequests}, so that every broken rule is reported at once.
 */
@Schema(name = "SaveTemplateRequest", description = "A Zalo transaction template whose strings may hold {{placeholder}} "
        + "marks ([a-z0-9_]{1,40}), each declared with its longest value; checked against every transaction rule with each "
        + "placeholder at its longest")
public record SaveTemplateRequest(
        @Schema(description = "POST: required; PUT: the path's, or left out", pattern = "[a-z0-9][a-z0-9_-]{0,63}",
                example = "order-status") String name,
        @Schema(required = true, example = "transaction_order") String templateType,
        @Schema(required = true, enumeration = { "VI", "EN" }) String language,
        @Schema(required = true, description = "As in a message; any string may hold {{placeholder}}")
        List<Map<String, Object>> elements,
        @Schema(description = "As in a message; any string may hold {{placeholder}}") List<Map<String, Object>> buttons,
        @Schema(description = "Every placeholder used, with its longest value (1 to 2000 characters)",
                example = "{\"order_code\": {\"max_length\": 20}}") Map<String, TemplateView.Placeholder> placeholders) {
}
