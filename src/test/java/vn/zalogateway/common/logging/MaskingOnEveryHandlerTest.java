package vn.zalogateway.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.SocketHandler;
import org.jboss.logmanager.handlers.SyslogHandler;
import org.jboss.logmanager.handlers.WriterHandler;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import vn.zalogateway.support.EsmsStub;
import vn.zalogateway.support.EtelecomStub;

/**
 * Every log handler goes through the masking filter, so no line escapes it however it is written out: the
 * handlers this application runs with (console and file in the tests), and every handler application.properties
 * turns on in any profile (the JSON console in production is the console handler, formatted as JSON).
 */
@QuarkusTest
@WithTestResource(EtelecomStub.class)
@WithTestResource(EsmsStub.class)
class MaskingOnEveryHandlerTest {

    static final String PHONE = "84912345678";

    @Test
    void everyRunningHandlerMasks() {
        List<Handler> leaves = new ArrayList<>();
        List<String> unmasked = new ArrayList<>();
        walk(LogContext.getLogContext().getLogger("").getHandlers(), false, leaves, unmasked);

        assertThat(leaves).extracting(handler -> handler.getClass().getSimpleName()).as("the handlers of the test profile")
                .anyMatch(name -> name.contains("Console")).anyMatch(name -> name.contains("File"));
        assertThat(unmasked).as("handlers whose lines are not masked").isEmpty();
    }

    /**
     * Collects the handlers that write lines out (console, file, syslog, socket), noting those that no filter on
     * their way masks. (Quarkus also hangs handlers that write nothing, e.g. one that reports exceptions to its
     * test runner.)
     */
    private static void walk(Handler[] handlers, boolean maskedAbove, List<Handler> leaves, List<String> unmasked) {
        for (Handler handler : handlers) {
            boolean masked = maskedAbove || masks(handler.getFilter());
            if (writes(handler)) {
                leaves.add(handler);
                if (!masked) {
                    unmasked.add(handler.getClass().getName());
                }
            }
            if (handler instanceof ExtHandler ext) {
                walk(ext.getHandlers(), masked, leaves, unmasked);
            }
        }
    }

    private static boolean writes(Handler handler) {
        return handler instanceof WriterHandler || handler instanceof SyslogHandler || handler instanceof SocketHandler
                || handler instanceof java.util.logging.StreamHandler;
    }

    /** Whether the filter (whatever wraps it) masks what it lets through. */
    private static boolean masks(Filter filter) {
        if (filter == null) {
            return false;
        }
        ExtLogRecord record = new ExtLogRecord(Level.INFO, "calling " + PHONE + " with Bearer s3cr3t-token",
                MaskingOnEveryHandlerTest.class.getName());
        record.setLoggerName("vn.zalogateway.logging-check");
        filter.isLoggable(record);
        return !record.getFormattedMessage().contains(PHONE) && !record.getFormattedMessage().contains("s3cr3t-token");
    }

    static final Pattern HANDLER = Pattern.compile("(?:%[^.]+\\.)?(quarkus\\.log\\.(?:console|file|syslog|socket)"
            + "|quarkus\\.log\\.handler\\.(?:console|file|syslog|socket)\\.(?:\"[^\"]+\"|[^.\"]+))\\..+");

    @Test
    void everyHandlerTheConfigurationTurnsOnIsFilteredByMasking() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = MaskingOnEveryHandlerTest.class.getResourceAsStream("/application.properties")) {
            properties.load(in);
        }
        Set<String> handlers = new LinkedHashSet<>(List.of("quarkus.log.console"));
        Set<String> profiles = new LinkedHashSet<>(List.of("prod", "dev", "test"));
        for (String key : properties.stringPropertyNames()) {
            Matcher handler = HANDLER.matcher(key);
            if (handler.matches()) {
                handlers.add(handler.group(1));
            }
            if (key.startsWith("%")) {
                profiles.addAll(List.of(key.substring(1, key.indexOf('.')).split(",")));
            }
        }
        List<String> unfiltered = new ArrayList<>();
        for (String handler : handlers) {
            boolean onByDefault = handler.equals("quarkus.log.console");
            for (String profile : profiles) {
                boolean enabled = Boolean.parseBoolean(value(properties, profile, handler + ".enabled", Boolean.toString(onByDefault)));
                if (enabled && !"masking".equals(value(properties, profile, handler + ".filter", null))) {
                    unfiltered.add(handler + " in profile " + profile);
                }
            }
        }
        assertThat(handlers).as("handlers configured").contains("quarkus.log.console", "quarkus.log.file");
        assertThat(unfiltered).as("handlers on without quarkus.log...filter=masking").isEmpty();
    }

    /** The property as that profile sees it: a profiled key (alone or in a list) first, then the plain one. */
    private static String value(Properties properties, String profile, String name, String otherwise) {
        for (String key : properties.stringPropertyNames()) {
            if (key.startsWith("%") && key.endsWith("." + name)
                    && List.of(key.substring(1, key.length() - name.length() - 1).split(",")).contains(profile)) {
                return properties.getProperty(key).strip();
            }
        }
        String plain = properties.getProperty(name);
        return plain != null ? plain.strip() : otherwise;
    }
}
