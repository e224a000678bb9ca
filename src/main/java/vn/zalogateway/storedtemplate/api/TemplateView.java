package vn.zalogateway.storedtemplate.api;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;

import io.quarkus.runtime.annotations.RegisterForReflection;
import vn.zalogateway.common.Timestamps;
import vn.zalogateway.storedtemplate.TemplateVersion;

/** A stored template's version as the consumer saved it, placeholders still in. */
@RegisterForReflection
@Schema(name = "StoredTemplate")
public record TemplateView(
        @Schema(example = "order-status") String name,
        @Schema(example = "3") int version,
        @Schema(example = "transaction_order") String templateType,
        @Schema(example = "VI") String language,
        @Schema(description = "As saved, with its {{placeholder}} marks") @JsonRawValue String elements,
        @JsonInclude(JsonInclude.Include.NON_NULL) @JsonRawValue String buttons,
        @Schema(description = "Each placeholder's longest value", example = "{\"order_code\": {\"max_length\": 20}}")
        Map<String, Placeholder> placeholders,
        OffsetDateTime createdAt) {

    /** A placeholder's declaration. */
    @RegisterForReflection
    public record Placeholder(int maxLength) {
    }

    public static TemplateView of(TemplateVersion template, ZoneId zone) {
        Map<String, Placeholder> placeholders = new LinkedHashMap<>();
        template.placeholders().forEach((name, max) -> placeholders.put(name, new Placeholder(max)));
        return new TemplateView(template.name(), template.version(), template.templateType(), template.language(),
                template.elements().toString(), template.buttons() == null ? null : template.buttons().toString(), placeholders,
                Timestamps.at(template.createdAt(), zone));
    }
}
