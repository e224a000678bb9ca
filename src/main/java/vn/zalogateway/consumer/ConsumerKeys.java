package vn.zalogateway.consumer;

import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import vn.zalogateway.common.auth.ConsumerDirectory;
import vn.zalogateway.common.auth.ConsumerIdentity;
import vn.zalogateway.common.database.BoundedPgPool;

/**
 * Finds a key's consumer in PostgreSQL, with caches in front: an API call must not pay a database round
 * trip to be let in, and a flood of made-up keys must not cost one each (it would take the pool from
 * everyone). Found keys are cached; unknown keys are answered from {@link LiveKeys}, the hashes of every
 * live key held in memory, without a query whatever the key. Both are only trusted while this replica
 * LISTENs on {@value #CHANNEL}: every change of a key or a consumer (an issued key too) NOTIFYs it in the
 * same transaction, and every replica then drops both and reads the live keys again, so a revoked key stops
 * working and an issued one starts working on every replica as soon as the notification arrives
 * (milliseconds; on the replica that made the change, before its answer). While the listening connection is
 * down (or not yet up), every lookup goes to the database.
 */
@ApplicationScoped
public class ConsumerKeys implements ConsumerDirectory {

    static final String CHANNEL = "zalo_gateway_consumers";
    /** A backstop only: notifications are what keep the cache right. */
    static final long CACHE_NANOS = 30_000_000_000L;
    /** Enough for every live key many times over; past it the cache starts again (keys are a few per consumer). */
    static final int MOST_CACHED = 10_000;
    /** Live keys held in memory at most (8 bytes each); beyond, unknown keys are looked up in the database. */
    static final int MOST_LIVE_KEYS = 1_000_000;
    /** The live keys are read again this often (a backstop, as for the cache), and not trusted when older than twice it. */
    static final long LIVE_KEYS_REFRESH_MILLIS = 30_000;
    static final String LIVE_KEYS_REFRESH = "30s";
    static final String LIVE_KEYS_JOB = "live-api-keys";

    private static final HexFormat HEX = HexFormat.of();
    /** What {@link #identity(Row)} reads, of the consumer {@code c}. */
    private static final String CONSUMER = "select c.id, c.name, c.all_oas, c.oa_ids, c.rate_limit_per_second, c.send_window_from, "
            + "c.send_window_to";

    /** The live keys as read in a generation of the cache: stale as soon as the cache is cleared. */
    private record Snapshot(LiveKeys keys, long generation, long readAt) {
    }

    private final Pool pool;
    private final BoundedPgPool poolCreator;
    private final Vertx vertx;
    private final KeyCache cache = new KeyCache(CACHE_NANOS, MOST_CACHED);
    private final AtomicReference<Snapshot> live = new AtomicReference<>();
    private final Counter fromCache;
    private final Counter fromLiveKeys;
    private final Counter fromDatabase;
    private volatile boolean listening;
    private PgSubscriber subscriber;

    ConsumerKeys(Pool pool, BoundedPgPool poolCreator, Vertx vertx, MeterRegistry meters) {
        this.pool = pool;
        this.poolCreator = poolCreator;
        this.vertx = vertx;
        this.fromCache = lookups(meters, "cache");
        this.fromLiveKeys = lookups(meters, "live-keys");
        this.fromDatabase = lookups(meters, "database");
    }

    private static Counter lookups(MeterRegistry meters, String source) {
        return Counter.builder("gateway.api.key.lookups").tag("source", source)
                .description("API key lookups by what answered them: the cache, the live keys (an unknown key, no query) or the database")
                .register(meters);
    }

    void start(@Observes StartupEvent started) {
        PgConnectOptions options = poolCreator.connectOptions();
        if (options == null) {
            Log.warn("No PostgreSQL connection options to LISTEN with: API keys are looked up in the database every time");
            return;
        }
        subscriber = PgSubscriber.subscriber(vertx, options).reconnectPolicy(retries -> 1_000L);
        subscriber.channel(CHANNEL)
                .subscribeHandler(subscribed -> {
                    // (Re)subscribed: whatever changed while we were not listening is unknown, so forget all.
                    cache.clear();
                    listening = true;
                    readLiveKeys();
                })
                .handler(payload -> forgetAll());
        subscriber.closeHandler(closed -> {
            listening = false;
            cache.clear();
        });
        subscriber.connect().onFailure(failure -> Log.warnf(
                "Listening for consumer changes failed (%s); API keys are looked up in the database until it works", failure));
    }

    void stop(@Observes ShutdownEvent stopped) {
        listening = false;
        if (subscriber != null) {
            subscriber.close();
        }
    }

    @Override
    public Uni<ConsumerIdentity> byKeyHash(byte[] sha256) {
        if (certainlyUnknown(sha256)) {
            fromLiveKeys.increment();
            return Uni.createFrom().nullItem();
        }
        return cached(HEX.formatHex(sha256), CONSUMER
                + " from consumer_keys k join consumers c on c.id = k.consumer_id where k.key_hash = $1 and k.revoked_at is null");
    }

    /** The built-in consumer as its row says now (an administrator may have set its rate limit). */
    @Override
    public Uni<ConsumerIdentity> builtIn() {
        return cached(ConsumerIdentity.DEFAULT_ID.toString(), CONSUMER + " from consumers c where c.id = $1::uuid")
                .map(found -> found != null ? found : ConsumerIdentity.DEFAULT);
    }

    /** Whether the live keys, read since the last change and recently, say no live key has this hash. */
    private boolean certainlyUnknown(byte[] sha256) {
        Snapshot snapshot = live.get();
        return listening && snapshot != null && snapshot.generation() == cache.generation()
                && System.nanoTime() - snapshot.readAt() < 2 * LIVE_KEYS_REFRESH_MILLIS * 1_000_000
                && !snapshot.keys().mayHold(sha256);
    }

    /** The consumer the query finds for {@code key} (its only parameter), from the cache while it can be trusted. */
    private Uni<ConsumerIdentity> cached(String key, String query) {
        ConsumerIdentity cached = listening ? cache.get(key) : null;
        if (cached != null) {
            fromCache.increment();
            return Uni.createFrom().item(cached);
        }
        fromDatabase.increment();
        long generation = cache.generation();
        return pool.preparedQuery(query)
                .execute(Tuple.of(key))
                .map(rows -> {
                    ConsumerIdentity identity = rows.size() == 0 ? null : identity(rows.iterator().next());
                    if (identity != null && listening) {
                        cache.put(key, identity, generation);
                    }
                    return identity;
                });
    }

    /**
     * Reads the hashes of every live key (8 bytes of each), to be trusted until the cache is next cleared. A read
     * that began before a change is never trusted after it; a failed one leaves unknown keys to the database until
     * the next change or refresh.
     */
    private void readLiveKeys() {
        liveKeysRead().subscribe().with(read -> {
        }, failure -> Log.debugf("Reading the live API keys failed (%s); unknown keys go to the database meanwhile",
                failure.toString()));
    }

    /** The backstop read, on the scheduler (paused with the other jobs in tests; none while not listening). */
    @Scheduled(identity = LIVE_KEYS_JOB, every = LIVE_KEYS_REFRESH, delayed = LIVE_KEYS_REFRESH,
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refreshLiveKeys() {
        return liveKeysRead().onFailure().recoverWithItem(failure -> {
            Log.debugf("Reading the live API keys failed (%s); unknown keys go to the database meanwhile", failure.toString());
            return null;
        });
    }

    private Uni<Void> liveKeysRead() {
        if (!listening) {
            return Uni.createFrom().voidItem();
        }
        long generation = cache.generation();
        long readAt = System.nanoTime();
        return pool.preparedQuery("select ('x' || left(key_hash, 16))::bit(64)::bigint as prefix from consumer_keys "
                + "where revoked_at is null limit $1")
                .execute(Tuple.of(MOST_LIVE_KEYS + 1))
                .invoke(rows -> {
                    if (rows.size() > MOST_LIVE_KEYS) {
                        Log.warnf("More than %d live API keys: unknown keys are looked up in the database", MOST_LIVE_KEYS);
                        return;
                    }
                    long[] prefixes = new long[rows.size()];
                    int i = 0;
                    for (Row row : rows) {
                        prefixes[i++] = row.getLong("prefix");
                    }
                    Snapshot read = new Snapshot(LiveKeys.of(prefixes), generation, readAt);
                    live.accumulateAndGet(read, (now, candidate) -> now == null || now.generation() <= candidate.generation()
                            ? candidate : now);
                }).replaceWithVoid();
    }

    /**
     * Forgets every cached key and the live keys here, and reads the live keys again; the other replicas do the
     * same when the change's NOTIFY reaches them.
     */
    void forgetAll() {
        cache.clear();
        readLiveKeys();
    }

    static ConsumerIdentity identity(Row row) {
        Long[] oaIds = row.getArrayOfLongs("oa_ids");
        java.time.LocalTime from = row.getLocalTime("send_window_from");
        java.time.LocalTime to = row.getLocalTime("send_window_to");
        return new ConsumerIdentity(row.getUUID("id"), row.getString("name"), row.getBoolean("all_oas"),
                oaIds == null ? Set.of() : Set.copyOf(java.util.Arrays.asList(oaIds)), row.getInteger("rate_limit_per_second"),
                from == null || to == null ? null : new vn.zalogateway.common.SendWindow(from, to));
    }
}
