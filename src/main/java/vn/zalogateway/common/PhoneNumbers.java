package vn.zalogateway.common;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Vietnamese mobile numbers, the only kind a Zalo account is registered with. Accepted as
 * {@code 0912345678}, {@code 84912345678} or {@code +84912345678}; stored and sent as {@code 84...}.
 */
public final class PhoneNumbers {

    /** Nine digits after the country code; mobile ranges start with 3, 5, 7, 8 or 9. */
    private static final Pattern SUBSCRIBER = Pattern.compile("[35789][0-9]{8}");
    private static final int LONGEST_ACCEPTED = "+84912345678".length();

    private PhoneNumbers() {
    }

    public static Optional<String> normalise(String raw) {
        if (raw == null || raw.length() > LONGEST_ACCEPTED) {
            return Optional.empty();
        }
        String subscriber;
        if (raw.startsWith("+84")) {
            subscriber = raw.substring(3);
        } else if (raw.startsWith("84")) {
            subscriber = raw.substring(2);
        } else if (raw.startsWith("0")) {
            subscriber = raw.substring(1);
        } else {
            return Optional.empty();
        }
        return SUBSCRIBER.matcher(subscriber).matches() ? Optional.of("84" + subscriber) : Optional.empty();
    }

    /** For logs: {@code 84******678}, the same form the log filter gives any number it finds. Never log a whole number. */
    public static String mask(String phone) {
        if (phone == null || phone.length() < 8) {
            return "****";
        }
        return vn.zalogateway.common.logging.Masking.maskedPhone(phone.substring(0, 2), phone.substring(phone.length() - 3));
    }
}
