package vn.zalogateway.common.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class ApiKeysTest {

    static final String TEST_KEY_HASH = "62af8704764faf8ea82fc61ce9c4c3908b6cb97d463a634e9e587d7c885db0ef";

    @Test
    void knowsAKeyByItsHash() {
        ApiKeys keys = ApiKeys.fromHexHashes(List.of(ApiKeys.sha256Hex("other"), TEST_KEY_HASH.toUpperCase()));

        assertThat(ApiKeys.sha256Hex("test-key")).isEqualTo(TEST_KEY_HASH);
        assertThat(keys.knows(vn.zalogateway.common.Sha256.of("test-key"))).isTrue();
        assertThat(keys.knows(vn.zalogateway.common.Sha256.of("Test-key"))).isFalse();
        assertThat(keys.knows(vn.zalogateway.common.Sha256.of(""))).isFalse();
        assertThat(keys.knows(vn.zalogateway.common.Sha256.of(TEST_KEY_HASH))).as("the hash is not a key").isFalse();
    }

    @Test
    void skipsBlankEntriesAndRefusesMalformedHashes() {
        assertThat(ApiKeys.fromHexHashes(List.of(" ", "")).isEmpty()).isTrue();
        assertThatThrownBy(() -> ApiKeys.fromHexHashes(List.of(TEST_KEY_HASH, "test-key")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("entry 2")
                .hasMessageNotContaining("test-key");
    }
}
