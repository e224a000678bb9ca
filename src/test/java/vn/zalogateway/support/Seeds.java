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
        return resource("/receipts/" + status + ".json");
    }

    /** eSMS's send answers as the seed shows them: {@code send-100} (accepted), {@code send-101} (refused). */
    public static String esms(String name) {
        return resource("/esms/" + name + ".json");
    }

    /** eTelecom's CreateJourney answers as the seed shows them: {@code create-journey}, {@code create-journey-error}. */
    public static String etelecom(String name) {
        return resource("/etelecom/" + name + ".json");
    }

    private static String resource(String path) {
        try (InputStream body = Seeds.class.getResourceAsStream(path)) {
            if (body == null) {
                throw new IllegalArgumentException("no seed " + path);
            }
            return new String(body.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
