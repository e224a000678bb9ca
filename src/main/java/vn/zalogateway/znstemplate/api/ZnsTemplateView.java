package vn.zalogateway.znstemplate.api;

import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.quarkus.runtime.annotations.RegisterForReflection;
import vn.zalogateway.common.Timestamps;
import vn.zalogateway.znstemplate.ZnsTemplate;

/**
 * A ZNS template of an OA as a provider last described it (contract v1.3): {@code checked_at} is when it answered;
 * a value the provider did not give is null (eSMS gives no quality and no quota).
 */
@RegisterForReflection
public record ZnsTemplateView(
        @Schema(description = "the ZNS template's id", example = "231456") long templateId,
        String name,
        @Schema(description = "ENABLE, PENDING_REVIEW, REJECT, DISABLE or DELETE: only ENABLE can be sent", example = "ENABLE") String status,
        @Schema(description = "HIGH, MEDIUM, LOW or UNDEFINED", example = "HIGH") String quality,
        @Schema(description = "OTP, IN_TRANSACTION, POST_TRANSACTION, ACCOUNT_UPDATE, GENERAL_UPDATE or FOLLOW_UP", example = "IN_TRANSACTION") String tag,
        List<Param> params,
        Integer dailyQuota,
        Integer remainingQuota,
        OffsetDateTime checkedAt) {

    /** One parameter of the template: its type as the provider names it (STRING, NUMBER, DATE, ...) and its lengths. */
    @RegisterForReflection
    public record Param(String name, String type, boolean required, Integer minLength, Integer maxLength) {
    }

    public static ZnsTemplateView of(ZnsTemplate template, ZoneId zone) {
        var info = template.info();
        return new ZnsTemplateView(info.templateId(), info.name(), info.status(), info.quality(), info.tag(),
                info.params().stream().map(p -> new Param(p.name(), p.type(), p.required(), p.minLength(), p.maxLength())).toList(),
                info.dailyQuota(), info.remainingQuota(), Timestamps.at(template.checkedAt(), zone));
    }
}
