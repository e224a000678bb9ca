package vn.zalogateway.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import vn.zalogateway.common.Sha256;
import vn.zalogateway.common.auth.ApiKeys;
import vn.zalogateway.common.auth.ConsumerIdentity;
import vn.zalogateway.support.TestDatabase;

/**
 * What letting a request in costs when its key is cached, as {@code ApiKeyFilter} and
 * {@link ConsumerKeys} do it (hash the key, check the configured keys, hex, cache), beside one
 * PostgreSQL round trip, which is what every request would pay without the cache. Target: the cached
 * path under 10 us. Run: {@code ./mvnw verify -Pbenchmark -Dit.test=KeyLookupBenchmark}.
 */
@Tag("benchmark")
class KeyLookupBenchmark {

    static final int TRIALS = 5;
    static final int LOOKUPS = 1_000_000;
    static final int ROUND_TRIPS = 2_000;

    @Test
    void aCachedKeyCostsMicroseconds() throws Exception {
        List<String> keys = new ArrayList<>();
        KeyCache cache = new KeyCache(30_000_000_000L, 10_000);
        for (int i = 0; i < 1_000; i++) {
            String key = "zgw_" + "k".repeat(39) + String.format("%04d", i);
            keys.add(key);
            cache.put(Sha256.hex(key), ConsumerIdentity.DEFAULT, cache.generation());
        }
        ApiKeys configured = ApiKeys.fromHexHashes(List.of(Sha256.hex("configured-1"), Sha256.hex("configured-2")));
        HexFormat hex = HexFormat.of();

        List<Double> cached = new ArrayList<>();
        long found = 0;
        for (int trial = 0; trial < TRIALS + 1; trial++) { // the first warms the JIT up
            long start = System.nanoTime();
            for (int i = 0; i < LOOKUPS; i++) {
                byte[] hash = Sha256.of(keys.get(i % keys.size()));
                if (!configured.knows(hash) && cache.get(hex.formatHex(hash)) != null) {
                    found++;
                }
            }
            if (trial > 0) {
                cached.add((System.nanoTime() - start) / 1e3 / LOOKUPS);
            }
        }

        List<Double> database = new ArrayList<>();
        try (Connection connection = TestDatabase.connect("postgres");
                PreparedStatement statement = connection.prepareStatement("select $1::text = '' as unknown".replace("$1", "?"))) {
            for (int trial = 0; trial < TRIALS + 1; trial++) {
                long start = System.nanoTime();
                for (int i = 0; i < ROUND_TRIPS; i++) {
                    statement.setString(1, keys.get(i % keys.size()));
                    try (ResultSet rows = statement.executeQuery()) {
                        rows.next();
                    }
                }
                if (trial > 0) {
                    database.add((System.nanoTime() - start) / 1e3 / ROUND_TRIPS);
                }
            }
        }
        double cachedMicros = median(cached);
        double databaseMicros = median(database);
        String report = String.format("""
                === API key lookup, per request (JVM %s) ===
                cached: SHA-256 of the key, configured keys, hex, cache: %.2f us (median of %d x %,d; trials %s)
                one PostgreSQL round trip (JDBC, prepared, on this machine): %.1f us (median of %d x %,d)
                the cached path is %.0fx cheaper than a round trip; target under 10 us
                """, Runtime.version(), cachedMicros, TRIALS, LOOKUPS, format(cached), databaseMicros, TRIALS, ROUND_TRIPS,
                databaseMicros / cachedMicros);
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-key-lookup.txt"), report);
        assertThat(found).isEqualTo((long) (TRIALS + 1) * LOOKUPS);
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static String format(List<Double> values) {
        return values.stream().map(value -> String.format("%.2f", value)).toList().toString();
    }
}
