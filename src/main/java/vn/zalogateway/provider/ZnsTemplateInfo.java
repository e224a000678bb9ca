package vn.zalogateway.provider;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A ZNS template of an OA as a provider described it (eTelecom {@code GetTemplate}/{@code ListTemplates}, eSMS
 * {@code GetZnsTemplateInfo}), in one shape: what the gateway checks a message against. A value the provider left out
 * is null (eSMS gives no quality and no quota); nothing is guessed.
 */
public record ZnsTemplateInfo(long templateId, String name, String status, String quality, String tag, List<Param> params,
        Integer dailyQuota, Integer remainingQuota) {

    /** Longest status, quality or tag kept: the providers' values are short words (columns are varchar(32)). */
    public static final int LONGEST_WORD = 32;
    /** Longest template name kept (zns_templates.name). */
    public static final int LONGEST_NAME = 200;
    /** Most parameters read of one template: Zalo's templates have a few dozen at most. */
    public static final int MOST_PARAMS = 100;
    /** Longest parameter name or type kept. */
    public static final int LONGEST_PARAM_WORD = 100;

    public ZnsTemplateInfo {
        params = List.copyOf(params);
    }

    /**
     * One parameter: {@code type} as the provider spells it, upper-cased (STRING, NUMBER, DATE, ...); {@code required}
     * (eTelecom's {@code require}, eSMS's {@code Require}); {@code acceptNull}: an empty value is taken; the lengths,
     * null when not given.
     */
    public record Param(String name, String type, boolean required, boolean acceptNull, Integer minLength, Integer maxLength) {
    }

    /** A word the providers send (status, quality, tag, type): trimmed, upper-cased; null when absent, blank or too long. */
    public static String word(JsonNode value, int longest) {
        if (value == null || !value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.asText().trim();
        return text.isEmpty() || text.length() > longest ? null : text.toUpperCase(java.util.Locale.ROOT);
    }

    /** A text value kept as it came (a name), null when absent or longer than {@code longest}. */
    public static String text(JsonNode value, int longest) {
        if (value == null || !value.isValueNode() || value.isNull()) {
            return null;
        }
        String text = value.asText();
        return text.isBlank() || text.length() > longest ? null : text;
    }

    /** A yes/no as the providers write it: a JSON boolean, "true"/"false", 1/0. Null when unreadable. */
    public static Boolean flag(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        if (value.isBoolean()) {
            return value.booleanValue();
        }
        String text = value.asText().trim().toLowerCase(java.util.Locale.ROOT);
        return switch (text) {
            case "true", "1" -> Boolean.TRUE;
            case "false", "0" -> Boolean.FALSE;
            default -> null;
        };
    }

    /** A template id as the providers write it (a number, or digits in a string); null when it is not one. */
    public static Long id(JsonNode value) {
        if (value == null || value.isNull() || value.isMissingNode()) {
            return null;
        }
        String digits = value.isIntegralNumber() || value.isTextual() ? value.asText().trim() : "";
        return digits.matches("[0-9]{1,18}") && Long.parseLong(digits) > 0 ? Long.parseLong(digits) : null;
    }
}
