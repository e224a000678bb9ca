package vn.zalogateway.console.signin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OperatorsTest {

    /** bcrypt("admin") at cost 4; under $2b$ (OpenBSD, Node) and $2y$ (PHP, htpasswd) the same hash reads the same. */
    static final String HASH_2A = "$2a$04$DxSxmPp1gHst.XQiqeAUFO8.zEbvnoFV721G/zdRkY4zUIqTTRT0e";

    @Test
    void anOperatorSignsInWithTheirPasswordOnly() {
        Operators operators = Operators.of(List.of("lan:admin:" + HASH_2A, "minh:viewer:" + HASH_2A.replace("$2a$", "$2b$")));
        assertThat(operators.signIn("lan", "admin")).map(Operators.Operator::role).contains("admin");
        assertThat(operators.signIn("minh", "admin")).map(Operators.Operator::role).contains("viewer");
        assertThat(operators.signIn("lan", "Admin")).isEmpty();
        assertThat(operators.signIn("nobody", "admin")).isEmpty();
        assertThat(operators.signIn("lan", "")).isEmpty();
        assertThat(operators.signIn("lan", null)).isEmpty();
        assertThat(operators.signIn("lan", "a".repeat(73))).isEmpty();
    }

    @Test
    void theFingerprintChangesWithThePasswordOrTheRoleAndTellsNothingOfTheHash() {
        String lan = Operators.of(List.of("lan:admin:" + HASH_2A)).find("lan").orElseThrow().fingerprint();
        assertThat(Operators.of(List.of("lan:admin:" + HASH_2A)).find("lan").orElseThrow().fingerprint()).isEqualTo(lan);
        assertThat(Operators.of(List.of("lan:viewer:" + HASH_2A)).find("lan").orElseThrow().fingerprint()).isNotEqualTo(lan);
        String otherPassword = "$2a$04$T2yAmX1nXvlnUTSVh6GAdOWVrI.JJnd8ssEsfcxpGzAN3vZoWT5Bq";
        assertThat(Operators.of(List.of("lan:admin:" + otherPassword)).find("lan").orElseThrow().fingerprint()).isNotEqualTo(lan);
        assertThat(lan).hasSize(22).doesNotContain("DxSxmP", ".");
    }

    @Test
    void onlyNamesAnOperatorCanHaveArePossible() {
        assertThat(Operators.possibleName("lan.nguyen@shop.vn")).isTrue();
        assertThat(Operators.possibleName("a".repeat(65))).isFalse();
        assertThat(Operators.possibleName("lan\r\n")).isFalse();
        assertThat(Operators.possibleName("")).isFalse();
        assertThat(Operators.possibleName(null)).isFalse();
    }

    @Test
    void phpsAndOpenBsdsHashPrefixesAreRead() {
        Operators operators = Operators.of(List.of("a:admin:" + HASH_2A.replace("$2a$", "$2y$"), "b:admin:" + HASH_2A.replace("$2a$", "$2b$")));
        assertThat(operators.signIn("a", "admin")).isPresent();
        assertThat(operators.signIn("b", "admin")).isPresent();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "lan|must be name:role:bcrypt-hash",
            "lan:owner:$2a$04$DxSxmPp1gHst.XQiqeAUFO8.zEbvnoFV721G/zdRkY4zUIqTTRT0e|role must be admin or viewer",
            "lan:admin:secret|not a bcrypt hash",
            "lan:admin:$1$abc$def|not a bcrypt hash",
            "l an:admin:$2a$04$DxSxmPp1gHst.XQiqeAUFO8.zEbvnoFV721G/zdRkY4zUIqTTRT0e|must be name:role:bcrypt-hash" })
    void aBrokenEntryStopsTheStartWithoutEchoingTheHash(String entry, String message) {
        assertThatThrownBy(() -> Operators.of(List.of(entry))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gateway.console.operators entry 1").hasMessageContaining(message)
                .hasMessageNotContaining("DxSxmP");
    }

    @Test
    void aNameListedTwiceIsRefused() {
        assertThatThrownBy(() -> Operators.of(List.of("lan:admin:" + HASH_2A, "lan:viewer:" + HASH_2A)))
                .hasMessageContaining("lan is listed twice");
    }
}
