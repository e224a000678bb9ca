package vn.zalogateway.console.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnAddressTest {

    @ParameterizedTest
    @ValueSource(strings = { "/console", "/console/messages?status=FAILED&ext=a%2Fb", "/console/consumers/0190?before=x#top",
            "/console?x=//elsewhere", "/console/messages/%E2%82%AB" })
    void aConsolePageIsWhereABrowserGoesBack(String target) {
        assertThat(ReturnAddress.of(target)).contains(target);
        assertThat(ReturnAddress.afterSignIn(target)).contains(target);
        assertThat(ReturnAddress.orConsole(ReturnAddress.of(target))).isEqualTo(URI.create(target));
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "//evil.example", "https://evil.example/console", "/console//evil.example", "/console/ x", "/console/\r\nX: y",
            "/console\\..\\evil", "/console/../v1/messages", "/console/%2e%2e/v1", "/console/./x", "/consoles", "/console;x/messages",
            "/console:8080@evil.example", "console", "/console/\u00e0", "/console/%zz", "javascript:alert(1)", "\t/console", "/console/\u0000" })
    void anythingElseIsTheOverview(String target) {
        assertThat(ReturnAddress.of(target)).isEmpty();
        assertThat(ReturnAddress.orConsole(ReturnAddress.of(target))).isEqualTo(URI.create("/console"));
    }

    @org.junit.jupiter.api.Test
    void theSignInFormIsNoPlaceToReturnToAfterSigningIn() {
        assertThat(ReturnAddress.of("/console/sign-in?next=%2Fconsole%2Fcosts")).isPresent();
        assertThat(ReturnAddress.afterSignIn("/console/sign-in?next=%2Fconsole%2Fcosts")).isEmpty();
        assertThat(ReturnAddress.of(null)).isEqualTo(Optional.empty());
        assertThat(ReturnAddress.of("/console/" + "x".repeat(ReturnAddress.LONGEST))).isEmpty();
    }
}
