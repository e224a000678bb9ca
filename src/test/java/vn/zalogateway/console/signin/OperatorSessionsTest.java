package vn.zalogateway.console.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class OperatorSessionsTest {

    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes();
    static final Instant SIGNED_IN = Instant.parse("2026-12-02T08:00:00Z");
    final OperatorSessions sessions = new OperatorSessions(KEY, Duration.ofMinutes(30), Duration.ofHours(12));
    final Operators.Operator lan = new Operators.Operator("lan.nguyen@shop.vn", "admin", "fp-of-lan");

    @Test
    void aSessionIsReadBackAsItWasStarted() {
        var session = sessions.read(sessions.start(lan, 7, SIGNED_IN), SIGNED_IN.plusSeconds(5)).orElseThrow();
        assertThat(session.name()).isEqualTo("lan.nguyen@shop.vn");
        assertThat(session.role()).isEqualTo("admin");
        assertThat(session.signedInAt()).isEqualTo(SIGNED_IN);
        assertThat(session.version()).isEqualTo(7);
        assertThat(session.fingerprint()).isEqualTo("fp-of-lan");
        assertThat(session.of(lan)).isTrue();
    }

    @Test
    void aSessionIsOfTheOperatorAsConfiguredWhenItStartedOnly() {
        var session = sessions.read(sessions.start(lan, 1, SIGNED_IN), SIGNED_IN).orElseThrow();
        assertThat(session.of(new Operators.Operator(lan.name(), lan.role(), "fp-of-a-new-password"))).isFalse();
        assertThat(session.of(new Operators.Operator(lan.name(), "viewer", lan.fingerprint()))).isFalse();
        assertThat(session.of(new Operators.Operator("minh", lan.role(), lan.fingerprint()))).isFalse();
    }

    @Test
    void anIdleSessionEndsAndUseKeepsItGoing() {
        String cookie = sessions.start(lan, 7, SIGNED_IN);
        assertThat(sessions.read(cookie, SIGNED_IN.plus(Duration.ofMinutes(30)))).isPresent();
        assertThat(sessions.read(cookie, SIGNED_IN.plus(Duration.ofMinutes(31)))).isEmpty();

        var session = sessions.read(cookie, SIGNED_IN.plus(Duration.ofMinutes(20))).orElseThrow();
        String refreshed = sessions.refresh(session, SIGNED_IN.plus(Duration.ofMinutes(20))).orElseThrow();
        assertThat(sessions.read(refreshed, SIGNED_IN.plus(Duration.ofMinutes(45)))).isPresent();
        assertThat(sessions.refresh(session, SIGNED_IN.plusSeconds(30))).as("written again at most once a minute").isEmpty();
    }

    @Test
    void noSessionOutlivesTheLongestWhateverItsUse() {
        String cookie = sessions.start(lan, 7, SIGNED_IN);
        Instant late = SIGNED_IN.plus(Duration.ofHours(12)).plusSeconds(1);
        var session = sessions.read(cookie, SIGNED_IN.plusSeconds(60)).orElseThrow();
        String refreshed = sessions.refresh(session, late.minusSeconds(60)).orElseThrow();
        assertThat(sessions.read(refreshed, late)).isEmpty();
    }

    @Test
    void aChangedOrForeignCookieIsNoSession() {
        String cookie = sessions.start(new Operators.Operator("minh", "viewer", "fp"), 3, SIGNED_IN);
        assertThat(sessions.read(cookie.replace(".viewer.", ".admin."), SIGNED_IN)).isEmpty();
        assertThat(sessions.read(cookie.substring(0, cookie.length() - 2) + "AA", SIGNED_IN)).isEmpty();
        var other = new OperatorSessions("another-key-another-key-another!".getBytes(), Duration.ofMinutes(30), Duration.ofHours(12));
        assertThat(other.read(cookie, SIGNED_IN)).isEmpty();
        assertThat(sessions.read("", SIGNED_IN)).isEmpty();
        assertThat(sessions.read("a.b.c", SIGNED_IN)).isEmpty();
        assertThat(sessions.read(cookie.replace(".3.fp.", ".4.fp."), SIGNED_IN)).as("a version is signed too").isEmpty();
        assertThat(sessions.read(null, SIGNED_IN)).isEmpty();
    }

    @Test
    void aFormTokenGoesWithItsBrowserOnly() {
        String browser = sessions.newBrowserValue();
        String token = sessions.formToken(browser);
        assertThat(sessions.formTokenMatches(browser, token)).isTrue();
        assertThat(sessions.formTokenMatches(sessions.newBrowserValue(), token)).isFalse();
        assertThat(sessions.formTokenMatches(browser, null)).isFalse();
        assertThat(sessions.formTokenMatches(browser, browser)).isFalse();
        assertThat(sessions.formTokenMatches(null, token)).isFalse();
    }
}
