package vn.zalogateway.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

    static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
    static final String OTHER_KEY = Base64.getEncoder().encodeToString("another key of thirty-two bytes!".getBytes());

    @Test
    void sealsSoThatOnlyTheSameKeyAndRowOpen() {
        SecretBox box = SecretBox.fromBase64(KEY);
        String sealed = box.seal("whsec_c2VjcmV0", "row-1");
        assertThat(sealed).doesNotContain("c2VjcmV0");
        assertThat(box.open(sealed, "row-1")).isEqualTo("whsec_c2VjcmV0");
        assertThat(box.seal("whsec_c2VjcmV0", "row-1")).as("a fresh nonce each time").isNotEqualTo(sealed);

        assertThatThrownBy(() -> box.open(sealed, "row-2")).as("copied to another row").isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> SecretBox.fromBase64(OTHER_KEY).open(sealed, "row-1")).isInstanceOf(IllegalStateException.class);
        byte[] altered = Base64.getDecoder().decode(sealed);
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(Base64.getEncoder().encodeToString(altered), "row-1"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void refusesAKeyThatIsNot32BytesOfBase64WithoutShowingIt() {
        assertThatThrownBy(() -> SecretBox.fromBase64("c2hvcnQ=")).hasMessageContaining("decodes to 5 bytes")
                .hasMessageNotContaining("c2hvcnQ");
        assertThatThrownBy(() -> SecretBox.fromBase64("not base64!")).hasMessageContaining("is not base64");
    }
}
