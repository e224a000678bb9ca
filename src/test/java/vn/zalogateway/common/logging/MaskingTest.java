package vn.zalogateway.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class MaskingTest {

    @Test
    void phoneNumbersKeepOnlyTheirLastThreeDigits() {
        assertThat(Masking.mask("journey for 84912345678 created")).isEqualTo("journey for 84******678 created");
        assertThat(Masking.mask("phone=+84912345678,")).isEqualTo("phone=+84******678,");
        assertThat(Masking.mask("to 0912345678.")).isEqualTo("to 0******678.");
    }

    @Test
    void longerDigitRunsAreNotPhoneNumbers() {
        String ids = "oa 4368496045530866759 at 1711528361000, journey 0192345678901";
        assertThat(Masking.mask(ids)).isEqualTo(ids);
    }

    @Test
    void secretsAreMasked() {
        assertThat(Masking.mask("Authorization: Bearer abc.def-123")).isEqualTo("Authorization: Bearer ***");
        assertThat(Masking.mask("POST /v1/webhooks/nxcloud/s3cr3t-value failed"))
                .isEqualTo("POST /v1/webhooks/nxcloud/*** failed");
        assertThat(Masking.mask("GET /v1/webhooks/esms/abc?SMSID=1")).isEqualTo("GET /v1/webhooks/esms/***?SMSID=1");
        assertThat(Masking.mask("{\"ApiKey\":\"K123\",\"SecretKey\":\"S456\",\"OAID\":\"1\"}"))
                .isEqualTo("{\"ApiKey\":\"***\",\"SecretKey\":\"***\",\"OAID\":\"1\"}");
    }

    @Test
    void theFilterMasksFormattedMessagesOfBothStyles() {
        MaskingFilter filter = new MaskingFilter();
        ExtLogRecord printf = new ExtLogRecord(Level.INFO, "sent to %s with %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        printf.setParameters(new Object[] { "84912345678", "Bearer k" });
        assertThat(filter.isLoggable(printf)).isTrue();
        assertThat(printf.getFormattedMessage()).isEqualTo("sent to 84******678 with Bearer ***");

        ExtLogRecord messageFormat = new ExtLogRecord(Level.INFO, "sent to {0}", ExtLogRecord.FormatStyle.MESSAGE_FORMAT, "test");
        messageFormat.setParameters(new Object[] { "0912345678" });
        filter.isLoggable(messageFormat);
        assertThat(messageFormat.getFormattedMessage()).isEqualTo("sent to 0******678");

        ExtLogRecord harmless = new ExtLogRecord(Level.INFO, "round of %d", ExtLogRecord.FormatStyle.PRINTF, "test");
        harmless.setParameters(new Object[] { 3 });
        filter.isLoggable(harmless);
        assertThat(harmless.getFormattedMessage()).isEqualTo("round of 3");
    }

    /** A provider's exception text is no safer than a message: its key and the phone are masked, frames and types kept. */
    @Test
    void theFilterMasksTheAttachedExceptionItsCausesAndSuppressed() {
        IllegalStateException cause = new IllegalStateException("eSMS said {\"ApiKey\":\"K123\"} for 0912345678");
        RuntimeException thrown = new RuntimeException("call with Bearer abc.def to /v1/webhooks/nxcloud/s3cr3t failed", cause);
        thrown.addSuppressed(new java.io.IOException("retry for +84912345678 failed"));
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "send failed", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setThrown(thrown);

        assertThat(new MaskingFilter().isLoggable(record)).isTrue();

        java.io.StringWriter printed = new java.io.StringWriter();
        record.getThrown().printStackTrace(new java.io.PrintWriter(printed));
        assertThat(printed.toString())
                .contains("java.lang.RuntimeException: call with Bearer *** to /v1/webhooks/nxcloud/*** failed")
                .contains("Caused by: java.lang.IllegalStateException: eSMS said {\"ApiKey\":\"***\"} for 0******678")
                .contains("Suppressed: java.io.IOException: retry for +84******678 failed")
                .contains("at vn.zalogateway.common.logging.MaskingTest.theFilterMasksTheAttachedExceptionItsCausesAndSuppressed")
                .doesNotContain("K123").doesNotContain("abc.def").doesNotContain("s3cr3t").doesNotContain("912345678");
    }

    @Test
    void anExceptionWithNothingToMaskIsLoggedAsItIs() {
        RuntimeException harmless = new RuntimeException("connection reset", new java.net.ConnectException("refused"));
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "send failed", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setThrown(harmless);
        new MaskingFilter().isLoggable(record);
        assertThat(record.getThrown()).isSameAs(harmless);
    }
}
