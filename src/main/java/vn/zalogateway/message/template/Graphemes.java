package vn.zalogateway.message.template;

import java.text.Normalizer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text length as a person sees it: one per user-perceived character (extended grapheme cluster), so
 * "ả" counts one whether typed precomposed or as a + combining hook, and a flag or a family emoji
 * counts one too. Zalo's limits are read this way.
 */
public final class Graphemes {

    private static final Pattern CLUSTER = Pattern.compile("\\X");

    private Graphemes() {
    }

    public static int count(String text) {
        String composed = Normalizer.normalize(text, Normalizer.Form.NFC);
        int count = 0;
        Matcher matcher = CLUSTER.matcher(composed);
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    /** Whether the text is longer than the limit; cheap when the UTF-16 length already settles it. */
    public static boolean exceed(String text, int limit) {
        return text.length() > limit && count(text) > limit;
    }
}
