package vn.zalogateway.common.logging;

import java.text.MessageFormat;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * A safety net under every log line (console, JSON or not): secrets and phone numbers never reach
 * the log, whatever a message, a library's exception text or a cause's contains. Installed with
 * {@code quarkus.log.console.filter=masking}.
 */
@LoggingFilter(name = "masking")
public final class MaskingFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = formatted(record);
        if (message != null) {
            String masked = Masking.mask(message);
            if (!masked.equals(message)) {
                record.setMessage(masked);
                record.setParameters(null);
            }
        }
        if (record.getThrown() != null) {
            record.setThrown(MaskedThrowable.of(record.getThrown()));
        }
        return true;
    }

    /** The message as it would be printed (JBoss Logging uses printf or MessageFormat style). */
    private static String formatted(LogRecord record) {
        String message = record.getMessage();
        Object[] parameters = record.getParameters();
        if (message == null || parameters == null || parameters.length == 0) {
            return message;
        }
        try {
            if (record instanceof org.jboss.logmanager.ExtLogRecord ext
                    && ext.getFormatStyle() == org.jboss.logmanager.ExtLogRecord.FormatStyle.PRINTF) {
                return String.format(message, parameters);
            }
            return MessageFormat.format(message, parameters);
        } catch (RuntimeException unformattable) {
            return message;
        }
    }
}
