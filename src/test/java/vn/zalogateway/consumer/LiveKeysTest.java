package vn.zalogateway.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import vn.zalogateway.common.Sha256;

class LiveKeysTest {

    @Test
    void holdsTheLiveKeysAndCertainlyNotAnyOther() {
        LiveKeys live = LiveKeys.of(new long[] { LiveKeys.prefix(Sha256.of("zgw_b")), LiveKeys.prefix(Sha256.of("zgw_a")) });
        assertThat(live.mayHold(Sha256.of("zgw_a"))).isTrue();
        assertThat(live.mayHold(Sha256.of("zgw_b"))).isTrue();
        assertThat(live.mayHold(Sha256.of("zgw_c"))).isFalse();
        assertThat(LiveKeys.of(new long[0]).mayHold(Sha256.of("zgw_a"))).isFalse();
    }

    @Test
    void aPrefixIsTheFirstEightBytesBigEndianAsPostgresReadsTheHexHash() {
        // select ('x' || left('ff00000000000001' || repeat('0', 48), 16))::bit(64)::bigint  ->  -72057594037927935
        byte[] hash = HexFormat.of().parseHex("ff00000000000001" + "0".repeat(48));
        assertThat(LiveKeys.prefix(hash)).isEqualTo(-72057594037927935L);
        assertThat(LiveKeys.prefix(HexFormat.of().parseHex("0000000000000102" + "f".repeat(48)))).isEqualTo(258L);
    }
}
