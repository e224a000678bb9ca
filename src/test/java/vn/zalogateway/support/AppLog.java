package vn.zalogateway.support;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/** The log file the application under test writes (%test.quarkus.log.file.path), through its handler and masking filter. */
public final class AppLog {

    public static final Path FILE = Path.of("target", "quarkus-test.log");

    private AppLog() {
    }

    /** Where the file ends now: what a test logs from here on is read with {@link #since}. */
    public static long end() {
        try {
            return Files.exists(FILE) ? Files.size(FILE) : 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the application appended to its log file since {@code before}, once it holds {@code marker} (within 5 s). */
    public static String since(long before, String marker) {
        AtomicReference<String> text = new AtomicReference<>("");
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            byte[] all = Files.readAllBytes(FILE);
            int from = (int) Math.min(before, all.length);
            text.set(new String(all, from, all.length - from, StandardCharsets.UTF_8));
            return text.get().contains(marker);
        });
        return text.get();
    }
}
