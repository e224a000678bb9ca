package vn.zalogateway.znstemplate;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;
import vn.zalogateway.provider.ZnsTemplateInfo;

/**
 * A {@code zns_journey} message's {@code template_data} against its ZNS template, as the provider described it: each
 * parameter missing, unknown, too short, too long or of the wrong type is a violation, all of them at once; a template
 * whose status is not {@code ENABLE} cannot be sent (422). A plain class: no Quarkus, tested by tables.
 * <p>
 * Types (the providers' {@code type}, upper-cased): {@code NUMBER} takes a JSON number or digits in a string (a sign,
 * and {@code .} or {@code ,} between groups of digits, e.g. {@code "1.250.000"}); {@code DATE} takes Zalo's
 * {@code dd/MM/yyyy}, optionally after a time {@code HH:mm} or {@code HH:mm:ss}; any other type ({@code STRING} and
 * those the providers' pages do not describe) takes any string or number: only its length is checked, nothing guessed.
 * Lengths count characters (code points) of the value as text.
 */
public final class ZnsTemplateRules {

    static final Pattern NUMBER = Pattern.compile("[+-]?[0-9]+(?:[.,][0-9]+)*");
    static final Pattern DATE = Pattern.compile("(?:([0-9]{2}:[0-9]{2}(?::[0-9]{2})?) )?([0-9]{2}/[0-9]{2}/[0-9]{4})");
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("dd/MM/uuuu").withResolverStyle(ResolverStyle.STRICT);

    private ZnsTemplateRules() {
    }

    /** Whether a template of this status may be sent. */
    public static boolean sendable(String status) {
        return ZnsTemplate.ENABLE.equals(status);
    }

    /**
     * Why the message cannot be sent with this template: a 422 when the template is not ENABLE, a 400 listing every
     * parameter's violation; null when it can.
     */
    public static ProblemException refusal(long oaId, ZnsTemplateInfo template, JsonNode templateData) {
        if (!sendable(template.status())) {
            return new ProblemException(Problem.of(422, "template-not-enabled", "ZNS template not enabled",
                    "ZNS template " + template.templateId() + " of OA " + oaId + " is " + template.status()
                            + ": only an ENABLE template can be sent")
                    .withViolations(List.of(new Violation("template_id", "is " + template.status() + ", not ENABLE"))));
        }
        List<Violation> violations = parameters(template, templateData);
        return violations.isEmpty() ? null : ProblemException.invalid(violations);
    }

    /** The 400 for a template the provider says the OA does not have. */
    public static ProblemException unknown(long oaId, long templateId) {
        return ProblemException.invalid("template_id", "OA " + oaId + " has no ZNS template " + templateId);
    }

    /** Every violation of {@code templateData} (a JSON object) against the template's parameters; none: it fits. */
    public static List<Violation> parameters(ZnsTemplateInfo template, JsonNode templateData) {
        List<Violation> violations = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (ZnsTemplateInfo.Param param : template.params()) {
            known.add(param.name());
            JsonNode value = templateData == null ? null : templateData.get(param.name());
            String field = "template_data." + param.name();
            if (value == null || value.isNull()) {
                if (param.required()) {
                    violations.add(new Violation(field, "is required by template " + template.templateId()));
                }
                continue;
            }
            if (!value.isTextual() && !value.isNumber()) {
                violations.add(new Violation(field, "must be a string or a number"));
                continue;
            }
            String text = value.asText();
            int length = text.codePointCount(0, text.length());
            if (length == 0) {
                if (param.required() && !param.acceptNull()) {
                    violations.add(new Violation(field, "must not be empty: template " + template.templateId() + " requires it"));
                }
                continue;
            }
            String wrongType = wrongType(param.type(), value, text);
            if (wrongType != null) {
                violations.add(new Violation(field, wrongType));
            }
            if (param.minLength() != null && length < param.minLength()) {
                violations.add(new Violation(field, "must be at least " + param.minLength() + " characters (it has " + length + ")"));
            }
            if (param.maxLength() != null && param.maxLength() > 0 && length > param.maxLength()) {
                violations.add(new Violation(field, "must be at most " + param.maxLength() + " characters (it has " + length + ")"));
            }
        }
        if (templateData != null && templateData.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = templateData.fields(); fields.hasNext();) {
                String name = fields.next().getKey();
                if (!known.contains(name)) {
                    violations.add(new Violation("template_data." + name, "is not a parameter of template " + template.templateId()
                            + (known.isEmpty() ? ", which has none" : " (its parameters: " + String.join(", ",
                                    template.params().stream().map(ZnsTemplateInfo.Param::name).toList()) + ")")));
                }
            }
        }
        return violations;
    }

    /** Why the value is not of the parameter's type; null when it is (or the type is one the gateway does not check). */
    static String wrongType(String type, JsonNode value, String text) {
        String kind = type == null ? "" : type.toUpperCase(Locale.ROOT);
        switch (kind) {
            case "NUMBER":
                return value.isNumber() || NUMBER.matcher(text).matches() ? null : "must be a number";
            case "DATE":
                return value.isTextual() && isDate(text) ? null : "must be a date as Zalo writes it: dd/MM/yyyy (e.g. 23/11/2026)";
            default:
                return null;
        }
    }

    static boolean isDate(String text) {
        Matcher date = DATE.matcher(text);
        if (!date.matches()) {
            return false;
        }
        try {
            LocalDate.parse(date.group(2), DAY);
            if (date.group(1) != null) {
                LocalTime.parse(date.group(1));
            }
            return true;
        } catch (DateTimeException notADate) {
            return false;
        }
    }
}
