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
    void aConnectionNeverMadeIsNotSentAndABrokenOneMayHaveArrived() {
        ProviderException refused = ProviderException.classify("p", new ProcessingException(new ConnectException("refused")));
        assertThat(refused).isExactlyInstanceOf(ProviderException.NotSent.class);
        assertThat(refused.mayHaveArrived()).isFalse();
        assertThat(ProviderException.classify("p", new ProcessingException(new java.net.UnknownHostException("nowhere")))
                .mayHaveArrived()).isFalse();
        ProviderException reset = ProviderException.classify("p", new ProcessingException(new java.net.SocketException("reset")));
        assertThat(reset).isExactlyInstanceOf(ProviderException.Transient.class);
        assertThat(reset.mayHaveArrived()).as("reset after the request may have been written").isTrue();
        assertThat(ProviderException.classify("p", new TimeoutException()).mayHaveArrived()).isTrue();
        ProviderException unreadable = ProviderException.classify("p", new UncheckedIOException(new JsonParseException(null, "bad")));
        assertThat(unreadable).isExactlyInstanceOf(ProviderException.Unavailable.class);
        assertThat(unreadable.mayHaveArrived()).as("an answer came").isTrue();
        assertThat(ProviderException.classify("p", new IllegalStateException("?")))
                .isExactlyInstanceOf(ProviderException.Unavailable.class);
        assertThat(new ProviderException.Refused("p", "1", "no").mayHaveArrived()).isTrue();
    }

    @Test
    void anOpenCircuitSentNothing() {
        ProviderException open = ProviderException.classify("p", new CircuitBreakerOpenException("open"));
        assertThat(open).isExactlyInstanceOf(ProviderException.NotSent.class);
        assertThat(open.mayHaveArrived()).isFalse();
        assertThat(open.getMessage()).contains("circuit open");
    }
}
