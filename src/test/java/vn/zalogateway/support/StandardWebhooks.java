package vn.zalogateway.support;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A receiver's check of a signed callback, written from the Standard Webhooks specification and not
 * from the gateway's code, so that a test using it would catch a gateway that signs the wrong thing.
 */
public final class StandardWebhooks {

    private StandardWebhooks() {
    }

    /** Whether one of the space-separated {@code v1,...} signatures is the HMAC of the id, timestamp and body. */
    public static boolean verify(String secret, String id, String timestamp, String body, String signatures) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            String expected = "v1," + Base64.getEncoder().encodeToString(
                    mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
            for (String signature : signatures.split(" ")) {
                if (signature.equals(expected)) {
                    return true;
                }
            }
            return false;
        } catch (java.security.GeneralSecurityException impossible) {
            throw new IllegalStateException(impossible);
        }
    }
}
