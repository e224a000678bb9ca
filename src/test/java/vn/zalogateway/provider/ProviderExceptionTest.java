package vn.zalogateway.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonParseException;

import jakarta.ws.rs.ProcessingException;

class ProviderExceptionTest {

    @Test
    void keepsOurOwnFailures() {
        ProviderException refused = new ProviderException.Refused("p", "7", "no");
        assertThat(ProviderException.classify("p", refused)).isSameAs(refused);
    }

    @Test
    void timeoutsAnywhereInTheChainAreTimeouts() {
        assertThat(ProviderException.classify("p", new org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException()))
                .isInstanceOf(ProviderException.TimedOut.class);
        assertThat(ProviderException.classify("p", new ProcessingException(new TimeoutException())))
                .isInstanceOf(ProviderException.TimedOut.class);
    }

    @Test
    void brokenConnectionsAreTransientAndUnreadableAnswersAreNot() {
        assertThat(ProviderException.classify("p", new ProcessingException(new ConnectException("refused"))))
                .isExactlyInstanceOf(ProviderException.Transient.class);
        assertThat(ProviderException.classify("p", new UncheckedIOException(new JsonParseException(null, "bad"))))
                .isExactlyInstanceOf(ProviderException.Unavailable.class);
        assertThat(ProviderException.classify("p", new IllegalStateException("?")))
                .isExactlyInstanceOf(ProviderException.Unavailable.class);
    }

    @Test
    void anOpenCircuitIsUnavailableAndNotRetried() {
        ProviderException open = ProviderException.classify("p", new CircuitBreakerOpenException("open"));
        assertThat(open).isExactlyInstanceOf(ProviderException.Unavailable.class);
        assertThat(open.getMessage()).contains("circuit open");
    }
}
