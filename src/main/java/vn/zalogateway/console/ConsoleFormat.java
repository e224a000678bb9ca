package vn.zalogateway.console;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

import io.quarkus.qute.TemplateExtension;

/** How the console's templates write times (Asia/Ho_Chi_Minh, the operators' clock) and amounts. */
@TemplateExtension
public final class ConsoleFormat {

    static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZONE);
    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("HH:mm").withZone(ZONE);

    private ConsoleFormat() {
    }

    /** {@code 2026-12-02 21:05:09}, in Asia/Ho_Chi_Minh; empty for none. */
    static String local(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    /** A time that carries its own offset (an API view's), written as {@link #local(Instant)} writes it. */
    static String local(java.time.OffsetDateTime time) {
        return time == null ? "" : TIME.format(time.toInstant());
    }

    static String minute(Instant instant) {
        return instant == null ? "" : MINUTE.format(instant);
    }

    /** An amount without trailing zeros ({@code 300.000000} is {@code 300}). */
    static String plain(BigDecimal amount) {
        return amount == null ? "" : amount.stripTrailingZeros().toPlainString();
    }
}
