package vn.zalogateway.message;

/**
 * How many SMS parts a text takes, by the carriers' rule (eSMS documents none): GSM-7 when every character is in
 * the GSM 03.38 alphabet (its extension characters count twice), 160 characters in one part, 153 per part when
 * concatenated; else UCS-2 (Vietnamese with its diacritics), 70 in one part, 67 per part concatenated. Price is per part.
 */
public final class SmsText {

    /** A fallback SMS takes at most this many parts (612 GSM-7 characters, 268 UCS-2). */
    public static final int MOST_PARTS = 4;

    private static final String GSM_BASIC = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private static final String GSM_EXTENSION = "^{}\\[~]|€\f";

    private SmsText() {
    }

    /** Whether the text needs UCS-2 (a character outside GSM 03.38). */
    public static boolean unicode(String text) {
        return text.codePoints().anyMatch(c -> GSM_BASIC.indexOf(c) < 0 && GSM_EXTENSION.indexOf(c) < 0);
    }

    /** The number of parts the text is sent in (0 for an empty text). */
    public static int parts(String text) {
        if (text.isEmpty()) {
            return 0;
        }
        if (unicode(text)) {
            int units = text.length(); // UTF-16 code units: a character beyond the BMP takes two, as in UCS-2/UTF-16
            return units <= 70 ? 1 : (units + 66) / 67;
        }
        int septets = text.codePoints().map(c -> GSM_EXTENSION.indexOf(c) >= 0 ? 2 : 1).sum();
        return septets <= 160 ? 1 : (septets + 152) / 153;
    }
}
