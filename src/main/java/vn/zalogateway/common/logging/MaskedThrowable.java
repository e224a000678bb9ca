package vn.zalogateway.common.logging;

import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Stands in for a logged exception whose message (or a cause's) carries a secret or a phone number:
 * the original type's name and the masked text, the same frames, causes and suppressed exceptions. A
 * console stack trace reads as the original one did.
 */
final class MaskedThrowable extends Throwable {

    private static final long serialVersionUID = 1L;

    /** The message reads {@code java.net.ConnectException: masked text}: a JSON log names this class as the type. */
    private MaskedThrowable(Throwable original, String maskedMessage, Throwable maskedCause) {
        super(maskedMessage == null ? original.getClass().getName() : original.getClass().getName() + ": " + maskedMessage,
                maskedCause, true, true);
        setStackTrace(original.getStackTrace());
    }

    /** The exception itself when nothing in its chain needs masking, else a masked copy of the chain. */
    static Throwable of(Throwable thrown) {
        return needsMasking(thrown, new IdentityHashMap<>()) ? copy(thrown, new IdentityHashMap<>()) : thrown;
    }

    private static boolean needsMasking(Throwable thrown, Map<Throwable, Boolean> seen) {
        if (thrown == null || seen.put(thrown, Boolean.TRUE) != null) {
            return false;
        }
        String message = thrown.getMessage();
        if (message != null && !Masking.mask(message).equals(message)) {
            return true;
        }
        for (Throwable suppressed : thrown.getSuppressed()) {
            if (needsMasking(suppressed, seen)) {
                return true;
            }
        }
        return needsMasking(thrown.getCause(), seen);
    }

    /** {@code visiting}: the exceptions being copied, so that a cycle in the chain ends instead of recursing forever. */
    private static Throwable copy(Throwable original, Map<Throwable, Boolean> visiting) {
        visiting.put(original, Boolean.TRUE);
        Throwable cause = original.getCause();
        MaskedThrowable copy = new MaskedThrowable(original, Masking.mask(original.getMessage()),
                cause == null || visiting.containsKey(cause) ? null : copy(cause, visiting));
        for (Throwable suppressed : original.getSuppressed()) {
            if (!visiting.containsKey(suppressed)) {
                copy.addSuppressed(copy(suppressed, visiting));
            }
        }
        return copy;
    }

    /** Printed as the original would be: {@code java.net.ConnectException: masked text}. */
    @Override
    public String toString() {
        return getMessage();
    }
}
