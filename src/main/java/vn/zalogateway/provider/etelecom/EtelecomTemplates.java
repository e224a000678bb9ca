package vn.zalogateway.provider.etelecom;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import vn.zalogateway.provider.OaQuota;
import vn.zalogateway.provider.ProviderException;
import vn.zalogateway.provider.ZnsTemplateInfo;

/**
 * eTelecom's answers about ZNS templates (its public docs, no seed): GetTemplate's object and ListTemplates'
 * {@code templates[]}, each with {@code template_params[]} ({@code name, type, require, accept_null, min_length,
 * max_length}), {@code template_status}, {@code template_quality}, {@code template_tag},
 * {@code template_daily_quota}, {@code template_remaining_quota}. A business refusal is HTTP 200 with a non-zero
 * {@code error_code}, as in CreateJourney.
 */
public final class EtelecomTemplates {

    /** Longest answer read: a page of templates is a few hundred KB at most. */
    static final int LONGEST_ANSWER = 2 * 1024 * 1024;

    /** One page of ListTemplates: its templates, and the cursor of the next page (null: the last). */
    public record Page(List<ZnsTemplateInfo> templates, String next) {
    }

    private EtelecomTemplates() {
    }

    /** GetTemplate's answer: the template asked about, or eTelecom's refusal, or an answer the gateway cannot read. */
    public static ZnsTemplateInfo template(long templateId, String answer) {
        JsonNode reply = reply(answer, "GetTemplate");
        // The template may be the answer itself, or under "template" / "data" (eTelecom wraps some answers).
        JsonNode body = reply.has("template_status") ? reply
                : reply.path("template").isObject() ? reply.get("template") : reply.path("data");
        ZnsTemplateInfo template = body.isObject() ? read(body, templateId) : null;
        if (template == null) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered GetTemplate without a "
                    + "template_status the gateway can read").withAnswer(answer);
        }
        if (template.templateId() != templateId) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered GetTemplate about another "
                    + "template").withAnswer(answer);
        }
        return template;
    }

    /** A page of ListTemplates: the templates it lists that the gateway can read (the others are left out, said in the log). */
    public static Page page(String answer) {
        JsonNode reply = reply(answer, "ListTemplates");
        JsonNode listed = reply.get("templates");
        if (listed == null || !listed.isArray()) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered ListTemplates without "
                    + "templates[]").withAnswer(answer);
        }
        List<ZnsTemplateInfo> templates = new ArrayList<>(listed.size());
        for (JsonNode item : listed) {
            ZnsTemplateInfo template = item.isObject() ? read(item, null) : null;
            if (template != null) {
                templates.add(template);
            } else {
                io.quarkus.logging.Log.warn("eTelecom listed a template the gateway cannot read (no template_id or "
                        + "template_status); it is left out");
            }
        }
        JsonNode next = reply.path("paging").path("next");
        String cursor = next.isValueNode() && !next.isNull() && !next.asText().isBlank() && next.asText().length() <= 1000
                ? next.asText() : null;
        return new Page(templates, cursor);
    }

    private static JsonNode reply(String answer, String operation) {
        if (answer != null && answer.length() > LONGEST_ANSWER) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered " + operation + " with "
                    + answer.length() + " characters, more than the gateway reads").withAnswer(answer);
        }
        JsonNode reply = EtelecomClient.read(answer, JsonNode.class);
        if (!reply.isObject()) {
            throw new ProviderException.Unavailable(EtelecomErrors.PROVIDER, "eTelecom answered " + operation
                    + " with something the gateway cannot read").withAnswer(answer);
        }
        JsonNode code = reply.get("error_code");
        if (code != null && code.isValueNode() && !code.isNull() && !code.asText().trim().equals("0")
                && !code.asText().isBlank()) {
            JsonNode message = reply.get("error_message");
            throw new ProviderException.Refused(EtelecomErrors.PROVIDER, EtelecomErrors.truncate(code.asText().trim()),
                    EtelecomErrors.truncate(message == null || !message.isValueNode() ? "" : message.asText())).withAnswer(answer);
        }
        return reply;
    }

    /** One template object; null without a status or (when {@code asked} is null) without its own id. */
    static ZnsTemplateInfo read(JsonNode node, Long asked) {
        String status = ZnsTemplateInfo.word(node.get("template_status"), ZnsTemplateInfo.LONGEST_WORD);
        Long id = ZnsTemplateInfo.id(node.get("template_id"));
        if (status == null || (id == null && asked == null)) {
            return null;
        }
        List<ZnsTemplateInfo.Param> params = new ArrayList<>();
        JsonNode listed = node.get("template_params");
        if (listed != null && listed.isArray()) {
            for (JsonNode param : listed) {
                String name = ZnsTemplateInfo.text(param.get("name"), ZnsTemplateInfo.LONGEST_PARAM_WORD);
                if (name == null || params.size() >= ZnsTemplateInfo.MOST_PARAMS) {
                    continue;
                }
                params.add(new ZnsTemplateInfo.Param(name, ZnsTemplateInfo.word(param.get("type"), ZnsTemplateInfo.LONGEST_PARAM_WORD),
                        Boolean.TRUE.equals(ZnsTemplateInfo.flag(param.get("require"))),
                        Boolean.TRUE.equals(ZnsTemplateInfo.flag(param.get("accept_null"))),
                        OaQuota.count(param.get("min_length")), OaQuota.count(param.get("max_length"))));
            }
        }
        return new ZnsTemplateInfo(id == null ? asked : id,
                ZnsTemplateInfo.text(node.get("template_name"), ZnsTemplateInfo.LONGEST_NAME), status,
                ZnsTemplateInfo.word(node.get("template_quality"), ZnsTemplateInfo.LONGEST_WORD),
                ZnsTemplateInfo.word(node.get("template_tag"), ZnsTemplateInfo.LONGEST_WORD), params,
                OaQuota.count(node.get("template_daily_quota")), OaQuota.count(node.get("template_remaining_quota")));
    }
}
