package vn.zalogateway.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The providers' own examples, verbatim from the seed documents (src/test/resources). */
public final class Seeds {

    private Seeds() {
    }

    /** One of NXCloud's five receipts as the seed shows it ({@code receipts/<status>.json}). */
    public static String nxcloud(String status) {
        try (InputStream body = Seeds.class.getResourceAsStream("/receipts/" + status + ".json")) {
            if (body == null) {
                throw new IllegalArgumentException("no seed receipt " + status);
            }
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
