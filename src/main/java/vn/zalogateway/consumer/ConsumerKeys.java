package vn.zalogateway.consumer;

import java.util.HexFormat;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
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
 * Finds a key's consumer in PostgreSQL, with a short cache in front: an API call must not pay a
 * database round trip to be let in. The cache is only trusted while this replica LISTENs on
 * {@value #CHANNEL}: every change of a key or a consumer NOTIFYs it in the same transaction, and every
 * replica drops its whole cache when told, so a revoked key stops working at once everywhere. While
 * the listening connection is down (or not yet up), every lookup goes to the database.
 */
@ApplicationScoped
public class ConsumerKeys implements ConsumerDirectory {

    static final String CHANNEL = "zalo_gateway_consumers";
    /** A backstop only: notifications are what keep the cache right. */
    static final long CACHE_NANOS = 30_000_000_000L;
    /** Enough for every live key many times over; past it the cache starts again (keys are a few per consumer). */
    static final int MOST_CACHED = 10_000;

    private static final HexFormat HEX = HexFormat.of();
    /** What {@link #identity(Row)} reads, of the consumer {@code c}. */
    private static final String CONSUMER = "select c.id, c.name, c.all_oas, c.oa_ids, c.rate_limit_per_second";

    private final Pool pool;
    private final BoundedPgPool poolCreator;
    private final Vertx vertx;
    private final KeyCache cache = new KeyCache(CACHE_NANOS, MOST_CACHED);
    private volatile boolean listening;
    private PgSubscriber subscriber;

    ConsumerKeys(Pool pool, BoundedPgPool poolCreator, Vertx vertx) {
        this.pool = pool;
        this.poolCreator = poolCreator;
        this.vertx = vertx;
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
                })
                .handler(payload -> cache.clear());
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
        return cached(HEX.formatHex(sha256), CONSUMER
                + " from consumer_keys k join consumers c on c.id = k.consumer_id where k.key_hash = $1 and k.revoked_at is null");
    }

    /** The built-in consumer as its row says now (an administrator may have set its rate limit). */
    @Override
    public Uni<ConsumerIdentity> builtIn() {
        return cached(ConsumerIdentity.DEFAULT_ID.toString(), CONSUMER + " from consumers c where c.id = $1::uuid")
                .map(found -> found != null ? found : ConsumerIdentity.DEFAULT);
    }

    /** The consumer the query finds for {@code key} (its only parameter), from the cache while it can be trusted. */
    private Uni<ConsumerIdentity> cached(String key, String query) {
        ConsumerIdentity cached = listening ? cache.get(key) : null;
        if (cached != null) {
            return Uni.createFrom().item(cached);
        }
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

    /** Forgets every cached key here; the other replicas forget theirs when the change's NOTIFY reaches them. */
    void forgetAll() {
        cache.clear();
    }

    static ConsumerIdentity identity(Row row) {
        Long[] oaIds = row.getArrayOfLongs("oa_ids");
        return new ConsumerIdentity(row.getUUID("id"), row.getString("name"), row.getBoolean("all_oas"),
                oaIds == null ? Set.of() : Set.copyOf(java.util.Arrays.asList(oaIds)), row.getInteger("rate_limit_per_second"));
    }
}
