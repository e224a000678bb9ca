package vn.zalogateway.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * One owner per table: every statement that writes a table (insert, update, delete, truncate) and every
 * entity mapped to it lives in the package that owns it, so a fact has one writer and one definition.
 * Other packages read, or call the owner. A source scan: it fails on a write from anywhere else.
 */
class TableOwnersTest {

    static final Path SOURCES = Path.of("src/main/java/vn/zalogateway");

    /** Each table and the package (under vn.zalogateway) that alone writes it. */
    static final Map<String, String> OWNERS = Map.ofEntries(
            Map.entry("messages", "message"),
            Map.entry("batches", "batch"),
            Map.entry("journeys", "journey"),
            Map.entry("receipts", "receipt"),
            Map.entry("charges", "ledger"),
            Map.entry("oa_quotas", "ledger"),
            Map.entry("cost_hours", "ledger"),
            Map.entry("oa_hour_costs", "ledger"),
            Map.entry("callback_events", "callback"),
            Map.entry("callback_attempts", "callback"),
            Map.entry("consumers", "consumer"),
            Map.entry("consumer_keys", "consumer"),
            Map.entry("callback_secrets", "consumer"),
            Map.entry("idempotency_keys", "common/idempotency"),
            Map.entry("rate_limit_buckets", "common/ratelimit"),
            Map.entry("leases", "common/lease"),
            Map.entry("stored_templates", "storedtemplate"),
            Map.entry("stored_template_versions", "storedtemplate"),
            Map.entry("console_operators", "console/signin"),
            Map.entry("console_sign_in_attempts", "console/signin"),
            Map.entry("zns_templates", "znstemplate"),
            Map.entry("zns_template_lists", "znstemplate"));

    static final Pattern WRITE = Pattern.compile(
            "\\b(?:insert\\s+into|delete\\s+from|truncate(?:\\s+table)?)\\s+([a-z_]+)|\\bupdate\\s+([a-z_]+)(?:\\s+[a-z]+)?\\s+set\\b",
            Pattern.CASE_INSENSITIVE);
    static final Pattern ENTITY_TABLE = Pattern.compile("@Table\\(name\\s*=\\s*\"([a-z_]+)\"");

    record Write(Path file, String table) {
        String pkg() {
            return SOURCES.relativize(file.getParent()).toString().replace('\\', '/');
        }
    }

    @Test
    void everyTableIsWrittenOnlyByItsOwner() {
        List<Write> writes = writes();
        assertThat(writes).as("the scan finds the writers it should (it would pass vacuously otherwise)")
                .anySatisfy(write -> assertThat(write.table()).isEqualTo("messages"))
                .anySatisfy(write -> assertThat(write.table()).isEqualTo("receipts"));
        assertThat(writes).allSatisfy(write -> {
            String owner = OWNERS.get(write.table());
            assertThat(owner).as("%s writes %s, a table with no owner listed here", write.file(), write.table()).isNotNull();
            assertThat(write.pkg()).as("%s writes %s, which %s owns", write.file(), write.table(), owner)
                    .matches(owner + "(/.*)?");
        });
    }

    @Test
    void everyEntityLivesWithItsTablesOwner() {
        List<Write> entities = new ArrayList<>();
        for (Path file : javaFiles()) {
            Matcher table = ENTITY_TABLE.matcher(read(file));
            while (table.find()) {
                entities.add(new Write(file, table.group(1)));
            }
        }
        assertThat(entities).isNotEmpty().allSatisfy(entity -> assertThat(entity.pkg())
                .as("%s maps %s", entity.file(), entity.table()).isEqualTo(OWNERS.get(entity.table())));
    }

    static List<Write> writes() {
        List<Write> writes = new ArrayList<>();
        for (Path file : javaFiles()) {
            Matcher write = WRITE.matcher(read(file));
            while (write.find()) {
                String table = (write.group(1) != null ? write.group(1) : write.group(2)).toLowerCase(Locale.ROOT);
                writes.add(new Write(file, table));
            }
        }
        return writes;
    }

    static List<Path> javaFiles() {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            return files.filter(file -> file.toString().endsWith(".java")).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
