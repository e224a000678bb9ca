package vn.zalogateway.common.logging;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks what must not be logged: Vietnamese phone numbers (only the last three digits stay, enough
 * to tell two apart in an incident), bearer tokens, the secret segment of webhook paths, and eSMS
 * key fields of a request body.
 */
public final class Masking {

    /** 84xxxxxxxxx, +84xxxxxxxxx or 0xxxxxxxxx, not inside a longer run of digits (ids, timestamps). */
    private static final Pattern PHONE = Pattern.compile("(?<![\\d])(\\+?84|0)(\\d{6})(\\d{3})(?![\\d])");
    private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',]+");
    private static final Pattern WEBHOOK_SECRET = Pattern.compile("(/v1/webhooks/[a-z]+/)[^/\\s?\"']+");
    private static final Pattern KEY_FIELDS = Pattern.compile(
            "(?i)(\"?(?:api_?key|secret_?key|shop_?key|password|secret)\"?\\s*[:=]\\s*\"?)[^\"&\\s,}]+");

    private Masking() {
    }

    /** The one masked form of a phone number, in logs and wherever else one is shown: its prefix and last three digits. */
    public static String maskedPhone(String prefix, String lastThree) {
        return prefix + "******" + lastThree;
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = BEARER.matcher(text).replaceAll("$1***");
        masked = WEBHOOK_SECRET.matcher(masked).replaceAll("$1***");
        masked = KEY_FIELDS.matcher(masked).replaceAll("$1***");
        Matcher phone = PHONE.matcher(masked);
        StringBuilder out = new StringBuilder();
        while (phone.find()) {
            phone.appendReplacement(out, Matcher.quoteReplacement(maskedPhone(phone.group(1), phone.group(3))));
        }
        phone.appendTail(out);
        return out.toString();
    }
}
