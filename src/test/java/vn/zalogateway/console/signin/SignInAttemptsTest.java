package vn.zalogateway.console.signin;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class SignInAttemptsTest {

    static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");

    @Test
    void fiveWrongPasswordsMakeTheNameWaitOutTheWindow() {
        SignInAttempts attempts = new SignInAttempts(5, Duration.ofMinutes(15));
        for (int i = 0; i < 5; i++) {
            assertThat(attempts.allowed("lan", NOW.plusSeconds(i))).isTrue();
            attempts.failed("lan", NOW.plusSeconds(i));
        }
        assertThat(attempts.allowed("lan", NOW.plusSeconds(10))).isFalse();
        assertThat(attempts.allowed("minh", NOW.plusSeconds(10))).as("other names are not held up").isTrue();
        assertThat(attempts.allowed("lan", NOW.plus(Duration.ofMinutes(15)).plusSeconds(1))).isTrue();
    }

    @Test
    void aSuccessfulSignInForgetsTheFailures() {
        SignInAttempts attempts = new SignInAttempts(2, Duration.ofMinutes(15));
        attempts.failed("lan", NOW);
        attempts.succeeded("lan");
        attempts.failed("lan", NOW);
        assertThat(attempts.allowed("lan", NOW)).isTrue();
    }
}
