package vn.zalogateway.provider;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

import com.fasterxml.jackson.core.JsonProcessingException;

/**
 * What can go wrong with an upstream provider, in our own terms. Messages never carry secrets:
 * they may end up in a problem body or a log line.
 */
public abstract sealed class ProviderException extends RuntimeException
        permits ProviderException.Refused, ProviderException.Unavailable {

    private final String provider;

    ProviderException(String provider, String message) {
        super(message, null, false, false);
        this.provider = provider;
    }

    public String provider() {
        return provider;
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

    /** A failure that may pass: a 5xx or a broken connection. Retried with backoff. */
    public static sealed class Transient extends Unavailable permits TimedOut {
        public Transient(String provider, String reason) {
            super(provider, reason);
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
            return new Unavailable(provider, provider + " is failing; calls are paused for a while (circuit open)");
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException) {
                // An IOException too, but an answer that came and cannot be read: retrying will not help.
                break;
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
