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
 * path under 10 us. And what refusing a made-up key costs: before {@link LiveKeys}, the lookup query
 * (so the pool's query rate bounds the made-up keys a second it takes before everyone waits); now the
 * live keys in memory. Run: {@code ./mvnw verify -Pbenchmark -Dit.test=KeyLookupBenchmark}, or against
 * the embedded server {@code ./mvnw test -Dtest=KeyLookupBenchmark}.
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

    /** As many connections as the gateway's pool (quarkus.datasource.reactive.max-size). */
    static final int POOL = 20;
    static final int LIVE = 1_000;
    static final long FLOOD_NANOS = 3_000_000_000L;

    @Test
    void aMadeUpKeyCostsAQueryBeforeAndNanosecondsNow() throws Exception {
        String database = "keybench";
        TestDatabase.recreateMigrated(database);
        List<String> liveKeys = new ArrayList<>();
        try (Connection connection = TestDatabase.connect(database);
                PreparedStatement insert = connection.prepareStatement(
                        "insert into consumer_keys (id, consumer_id, key_hash, created_at) values (gen_random_uuid(), ?::uuid, ?, now())")) {
            String consumer = "00000000-0000-7000-8000-000000000001"; // the built-in consumer the migrations make
            for (int i = 0; i < LIVE; i++) {
                String key = "zgw_live-" + i;
                liveKeys.add(key);
                insert.setString(1, consumer);
                insert.setString(2, Sha256.hex(key));
                insert.addBatch();
            }
            insert.executeBatch();
            connection.createStatement().execute("analyze consumer_keys");
        }

        // Before: each made-up key ran the lookup query; POOL connections at full speed is the most the pool takes.
        String lookup = "select c.id, c.name, c.all_oas, c.oa_ids, c.rate_limit_per_second from consumer_keys k "
                + "join consumers c on c.id = k.consumer_id where k.key_hash = ? and k.revoked_at is null";
        java.util.concurrent.atomic.LongAdder queries = new java.util.concurrent.atomic.LongAdder();
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(POOL);
        List<Double> perSecond = new ArrayList<>();
        try {
            for (int trial = 0; trial < TRIALS + 1; trial++) {
                queries.reset();
                long end = System.nanoTime() + (trial == 0 ? FLOOD_NANOS / 3 : FLOOD_NANOS);
                List<java.util.concurrent.Future<?>> running = new ArrayList<>();
                for (int t = 0; t < POOL; t++) {
                    running.add(threads.submit(() -> {
                        try (Connection connection = TestDatabase.connect(database);
                                PreparedStatement statement = connection.prepareStatement(lookup)) {
                            java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
                            while (System.nanoTime() < end) {
                                statement.setString(1, Sha256.hex("zgw_made-up-" + random.nextLong()));
                                try (ResultSet rows = statement.executeQuery()) {
                                    if (rows.next()) {
                                        throw new IllegalStateException("a made-up key was found");
                                    }
                                }
                                queries.increment();
                            }
                        }
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> thread : running) {
                    thread.get();
                }
                if (trial > 0) {
                    perSecond.add(queries.sum() / (FLOOD_NANOS / 1e9));
                }
            }
        } finally {
            threads.shutdownNow();
        }

        // Now: SHA-256, the configured keys and the live keys in memory, no query.
        long[] prefixes = liveKeys.stream().mapToLong(key -> LiveKeys.prefix(Sha256.of(key))).toArray();
        LiveKeys live = LiveKeys.of(prefixes);
        ApiKeys configured = ApiKeys.fromHexHashes(List.of(Sha256.hex("configured-1"), Sha256.hex("configured-2")));
        List<String> madeUp = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            madeUp.add("zgw_" + "m".repeat(39) + String.format("%04d", i));
        }
        List<Double> refused = new ArrayList<>();
        long unknown = 0;
        for (int trial = 0; trial < TRIALS + 1; trial++) {
            long start = System.nanoTime();
            for (int i = 0; i < LOOKUPS; i++) {
                byte[] hash = Sha256.of(madeUp.get(i % madeUp.size()));
                if (!configured.knows(hash) && !live.mayHold(hash)) {
                    unknown++;
                }
            }
            if (trial > 0) {
                refused.add((System.nanoTime() - start) / 1e3 / LOOKUPS);
            }
        }

        double queriesPerSecond = median(perSecond);
        double refusedMicros = median(refused);
        String report = String.format("""
                === A made-up API key, per request (JVM %s, %d live keys) ===
                before: the lookup query, %d connections at full speed: %,.0f made-up keys/s (median of %d x %d s; trials %s)
                  beyond that rate every API request waits for a connection, and past gateway.database.max-wait-queue gets 503
                now: SHA-256 of the key, configured keys, live keys in memory: %.2f us (median of %d x %,d; trials %s),
                  no query: %,.0f made-up keys/s on one core before any HTTP work, the pool untouched
                """, Runtime.version(), LIVE, POOL, queriesPerSecond, TRIALS, FLOOD_NANOS / 1_000_000_000L, format(perSecond),
                refusedMicros, TRIALS, LOOKUPS, format(refused), 1e6 / refusedMicros);
        System.out.println(report);
        Files.writeString(Path.of("target", "benchmark-unknown-key.txt"), report);
        assertThat(unknown).isEqualTo((long) (TRIALS + 1) * LOOKUPS);
    }

    private static double median(List<Double> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static String format(List<Double> values) {
        return values.stream().map(value -> String.format("%.2f", value)).toList().toString();
    }
}
