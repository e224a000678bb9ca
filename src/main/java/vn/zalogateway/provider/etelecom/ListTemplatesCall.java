package vn.zalogateway.provider.etelecom;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The body of eTelecom's ListTemplates: {@code filter} (the OA, and one template when asked about one) and
 * {@code paging} ({@code after}: the previous page's {@code paging.next}; {@code limit}).
 * The nested records are registered for the native image: only the outer one is a REST client parameter.
 */
@RegisterForReflection(targets = { ListTemplatesCall.Filter.class, ListTemplatesCall.Paging.class })
record ListTemplatesCall(@JsonProperty("filter") Filter filter, @JsonProperty("paging") Paging paging) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Filter(@JsonProperty("oa_id") String oaId, @JsonProperty("template_id") Long templateId) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Paging(@JsonProperty("after") String after, @JsonProperty("limit") int limit) {
    }
}
