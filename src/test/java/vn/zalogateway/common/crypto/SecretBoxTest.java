package vn.zalogateway.common.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

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
        String prefix = sealed.substring(0, sealed.lastIndexOf(':') + 1);
        byte[] altered = Base64.getDecoder().decode(sealed.substring(prefix.length()));
        altered[altered.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(prefix + Base64.getEncoder().encodeToString(altered), "row-1"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aSealedValueNamesItsKeyByAFingerprintThatIsNotTheKey() {
        SecretBox box = SecretBox.fromBase64(KEY);
        String sealed = box.seal("whsec_c2VjcmV0", "row-1");
        assertThat(sealed).startsWith("v1:" + box.keyId() + ":");
        assertThat(box.keyId()).matches("[0-9a-f]{8}").isNotEqualTo(SecretBox.fromBase64(OTHER_KEY).keyId());
        assertThat(box.isSealedWithCurrentKey(sealed)).isTrue();
    }

    @Test
    void aValueSealedWithAnOldKeyOpensAfterTheRotationAndIsSealedAgainWithTheNewOne() {
        String sealed = SecretBox.fromBase64(OTHER_KEY).seal("whsec_b2xk", "row-1");

        SecretBox rotated = SecretBox.of(KEY, List.of(OTHER_KEY));
        assertThat(rotated.open(sealed, "row-1")).isEqualTo("whsec_b2xk");
        assertThat(rotated.isSealedWithCurrentKey(sealed)).as("to be sealed again").isFalse();
        String resealed = rotated.seal(rotated.open(sealed, "row-1"), "row-1");
        assertThat(resealed).startsWith("v1:" + SecretBox.fromBase64(KEY).keyId() + ":");
        assertThat(SecretBox.fromBase64(KEY).open(resealed, "row-1")).as("the old key is no longer needed").isEqualTo("whsec_b2xk");

        assertThatThrownBy(() -> SecretBox.fromBase64(KEY).open(sealed, "row-1")).as("the old key dropped too early")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("previous-keys")
                .hasMessageNotContaining(OTHER_KEY);
    }

    @Test
    void valuesSealedBeforeKeysHadIdsStillOpenWithTheCurrentOrAPreviousKey() throws Exception {
        String legacyWithCurrent = legacySeal(KEY, "whsec_bGVnYWN5", "row-1");
        String legacyWithOld = legacySeal(OTHER_KEY, "whsec_bGVnYWN5", "row-1");
        assertThat(legacyWithCurrent).doesNotContain(":");

        assertThat(SecretBox.fromBase64(KEY).open(legacyWithCurrent, "row-1")).isEqualTo("whsec_bGVnYWN5");
        SecretBox rotated = SecretBox.of(KEY, List.of(OTHER_KEY));
        assertThat(rotated.open(legacyWithOld, "row-1")).isEqualTo("whsec_bGVnYWN5");
        assertThat(rotated.isSealedWithCurrentKey(legacyWithCurrent)).isFalse();
        assertThatThrownBy(() -> rotated.open(legacyWithOld, "row-2")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aMalformedPreviousKeyIsNamedByItsPlace() {
        assertThatThrownBy(() -> SecretBox.of(KEY, List.of(OTHER_KEY, "c2hvcnQ=")))
                .hasMessageContaining("gateway.secrets.previous-keys entry 2").hasMessageNotContaining("c2hvcnQ");
        assertThat(SecretBox.of(KEY, List.of(" ")).keyId()).isEqualTo(SecretBox.fromBase64(KEY).keyId());
    }

    /** As SecretBox sealed before sealed values carried a key id: base64 of nonce, ciphertext and tag. */
    static String legacySeal(String base64Key, String secret, String associatedData) throws Exception {
        byte[] nonce = new byte[12];
        new java.security.SecureRandom().nextBytes(nonce);
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(base64Key), "AES"), new GCMParameterSpec(128, nonce));
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
    }

    @Test
    void refusesAKeyThatIsNot32BytesOfBase64WithoutShowingIt() {
        assertThatThrownBy(() -> SecretBox.fromBase64("c2hvcnQ=")).hasMessageContaining("decodes to 5 bytes")
                .hasMessageNotContaining("c2hvcnQ");
        assertThatThrownBy(() -> SecretBox.fromBase64("not base64!")).hasMessageContaining("is not base64");
    }
}
