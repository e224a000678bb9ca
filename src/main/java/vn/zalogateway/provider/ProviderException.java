package vn.zalogateway.provider;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * What can go wrong with an upstream provider, in our own terms. Messages never carry secrets:
 * they may end up in a problem body or a log line.
 */
public abstract sealed class ProviderException extends RuntimeException
        permits ProviderException.Refused, ProviderException.Unavailable {

    /** Longest raw answer kept with a failure (for inspection; the rest is cut). */
    public static final int LONGEST_ANSWER = 4000;

    private final String provider;
    private String answer;

    ProviderException(String provider, String message) {
        super(message, null, false, false);
        this.provider = provider;
    }

    public String provider() {
        return provider;
    }

    /** The provider's answer as it came (cut to {@link #LONGEST_ANSWER}), kept for inspection; null when none came. */
    public String answer() {
        return answer;
    }

    /** This failure, with the raw answer that explains it. */
    public ProviderException withAnswer(String raw) {
        this.answer = raw == null || raw.length() <= LONGEST_ANSWER ? raw : raw.substring(0, LONGEST_ANSWER);
        return this;
    }

    /**
     * Whether the request may have reached the provider and been acted on: anything but a call that certainly
     * never left ({@link NotSent}). A send that may have arrived is never repeated blindly: only a provider that
     * documents dropping a repeat (eSMS, by RequestId) is asked again.
     */
    public boolean mayHaveArrived() {
        return true;
    }

    /** The provider understood the request and said no: final, never retried. */
    public static final class Refused extends ProviderException {
        private final String code;
        private final String providerMessage;

        public Refused(String provider, String code, String providerMessage) {
            super(provider, provider + " refused the request: " + code + " " + providerMessage);
            this.code = code;
            this.providerMessage = providerMessage;
        }

        public String code() {
            return code;
        }

        public String providerMessage() {
            return providerMessage;
        }
    }

    /** The provider could not be used: a bad answer, our credentials refused, or the circuit open. */
    public static sealed class Unavailable extends ProviderException permits Transient {
        public Unavailable(String provider, String reason) {
            super(provider, reason);
        }
    }

    /** A failure that may pass: a 5xx or a broken connection. Retried with backoff where a repeat is safe. */
    public static sealed class Transient extends Unavailable permits TimedOut, NotSent {
        public Transient(String provider, String reason) {
            super(provider, reason);
        }
    }

    /**
     * The request certainly never reached the provider: the connection could not be made (refused, no route, an
     * unknown host, a connect timeout) or calls are paused (circuit open). Safe to try again.
     */
    public static final class NotSent extends Transient {
        public NotSent(String provider, String reason) {
            super(provider, reason);
        }

        @Override
        public boolean mayHaveArrived() {
            return false;
        }
    }

    /** No answer in time. Retried with backoff; a consumer sees 504 when retries run out. */
    public static final class TimedOut extends Transient {
        public TimedOut(String provider, String reason) {
            super(provider, reason);
        }
    }

    /**
     * Our terms for any failure of a provider call, including those the fault-tolerance layer adds
     * (its timeout, an open circuit) and the transport's own.
     */
    public static ProviderException classify(String provider, Throwable failure) {
        if (failure instanceof ProviderException known) {
            return known;
        }
        if (failure instanceof CircuitBreakerOpenException) {
            return new NotSent(provider, provider + " is failing; calls are paused for a while (circuit open)");
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException) {
                // An IOException too, but an answer that came and cannot be read: retrying will not help.
                break;
            }
            if (cause instanceof ConnectException || cause instanceof UnknownHostException || cause instanceof NoRouteToHostException) {
                // Netty's connect timeout is a ConnectException too: nothing was written.
                return new NotSent(provider, provider + " could not be reached: " + cause.getClass().getSimpleName());
            }
            if (cause instanceof TimeoutException
                    || cause instanceof org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException
                    || cause.getClass().getSimpleName().contains("Timeout")) {
                return new TimedOut(provider, provider + " did not answer in time");
            }
            if (cause instanceof IOException || cause.getClass().getName().startsWith("io.vertx.core.http.HttpClosed")) {
                return new Transient(provider, provider + " could not be reached: " + cause.getClass().getSimpleName());
            }
        }
        return new Unavailable(provider, provider + " answered with something the gateway cannot read");
    }

    /** A metrics tag for how a call ended in failure: refused, timeout or unavailable. */
    public static String outcome(String provider, Throwable failure) {
        ProviderException classified = classify(provider, failure);
        if (classified instanceof Refused) {
            return "refused";
        }
        return classified instanceof TimedOut ? "timeout" : "unavailable";
    }
}
