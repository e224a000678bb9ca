package vn.zalogateway.provider.etelecom;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The body of eTelecom's GetTemplate: the OA (int64 as a string, as eTelecom's ids travel) and the template. */
record GetTemplateCall(@JsonProperty("oa_id") String oaId, @JsonProperty("template_id") long templateId) {
}
