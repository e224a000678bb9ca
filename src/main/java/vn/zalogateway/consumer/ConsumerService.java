package vn.zalogateway.consumer;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.SendWindow;
import vn.zalogateway.common.Sha256;
import vn.zalogateway.common.audit.Audit;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.crypto.SecretBox;
import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;

/**
 * Consumers, their API keys and their callback secrets: what the admin API does. Keys and secrets are
 * random (256 bits, {@link SecureRandom}), shown once and never again: keys are kept as SHA-256, secrets
 * sealed with gateway.secrets.key (they must be usable to sign). Every change is one transaction that
 * also NOTIFYs the replicas, so a revoked key stops working everywhere at once and an issued one works
 * everywhere at once; and every change leaves an audit line naming who made it ({@code actor}, from
 * {@link vn.zalogateway.common.auth.Caller#actor()}), never a key or a secret.
 */
@ApplicationScoped
public class ConsumerService {

    /** How long a replaced callback secret keeps signing beside the new one. */
    static final Duration SECRET_OVERLAP = Duration.ofHours(24);
    static final String KEY_PREFIX = "zgw_";
    static final String SECRET_PREFIX = "whsec_";

    /** A consumer as administrators see it: never a key or a secret. */
    public record ConsumerRecord(UUID id, String name, boolean allOas, List<Long> oaIds, String callbackUrl,
            Integer rateLimitPerSecond, SendWindow sendWindow, boolean builtIn, List<KeyRecord> keys, Instant createdAt,
            Instant updatedAt) {
    }

    public record KeyRecord(UUID id, Instant createdAt, Instant revokedAt) {
    }

    /** A new consumer with its first key and callback secret, in clear this once. */
    public record Created(ConsumerRecord consumer, UUID keyId, String apiKey, String callbackSecret) {
    }

    public record IssuedKey(UUID keyId, String apiKey, Instant createdAt) {
    }

    public record IssuedSecret(String callbackSecret, Instant createdAt, Instant previousRetiresAt) {
    }

    private final Pool pool;
    private final ConsumerKeys keys;
    private final Optional<SecretBox> secretBox;
    private final CallbackUrls callbackUrls;
    private final SecureRandom random = new SecureRandom();

    ConsumerService(Pool pool, ConsumerKeys keys, GatewayConfig config, CallbackUrls callbackUrls) {
        this.pool = pool;
        this.keys = keys;
        List<String> previousKeys = config.secrets().previousKeys().orElse(List.of());
        this.secretBox = config.secrets().key().map(key -> SecretBox.of(key, previousKeys));
        this.callbackUrls = callbackUrls;
    }

    /** A production start without a secrets key would fail every callback later: it fails now instead. */
    void requireSecretsKey(@Observes StartupEvent started) {
        if (secretBox.isEmpty() && LaunchMode.current() == LaunchMode.NORMAL) {
            throw new IllegalStateException("gateway.secrets.key (GATEWAY_SECRETS_KEY) is required in production: base64 of "
                    + "32 random bytes (openssl rand -base64 32); it seals consumers' callback secrets");
        }
    }

    /**
     * Callback secrets sealed with a previous key (or before sealed values named their key) are sealed again
     * with gateway.secrets.key, so that the previous key can be dropped. In the background: the start does
     * not wait, and every replica may do it (a row is replaced only if nobody replaced it meanwhile).
     */
    void resealOnStart(@Observes StartupEvent started) {
        if (secretBox.isEmpty()) {
            return;
        }
        reseal().subscribe().with(
                resealed -> {
                    if (resealed > 0) {
                        Log.infof("Secrets: %d callback secrets sealed again with the current key (%s)", resealed, box().keyId());
                    }
                },
                failure -> Log.warnf("Secrets: sealing callback secrets again failed; the next start retries: %s", failure.toString()));
    }

    /** Seals every callback secret not sealed with the current key again; the number of rows replaced. */
    public Uni<Integer> reseal() {
        SecretBox box = box();
        return pool.preparedQuery("select id, sealed from callback_secrets where sealed not like $1")
                .execute(Tuple.of("v1:" + box.keyId() + ":%"))
                .onItem().transformToMulti(rows -> Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> {
                    String id = row.getUUID("id").toString();
                    String sealed = row.getString("sealed");
                    String again;
                    try {
                        again = box.seal(box.open(sealed, id), id);
                    } catch (IllegalStateException unopenable) {
                        Log.warnf("Secrets: callback secret %s does not open with any configured key; it stays as it is", id);
                        return Uni.createFrom().item(0);
                    }
                    return pool.preparedQuery("update callback_secrets set sealed = $2 where id = $1 and sealed = $3")
                            .execute(Tuple.of(row.getUUID("id"), again, sealed)).map(RowSet::rowCount);
                })
                .collect().asList().map(counts -> counts.stream().mapToInt(Integer::intValue).sum());
    }

    public Uni<Created> create(ConsumerRequests.NewConsumer request, String actor) {
        UUID id = Ids.next();
        UUID keyId = Ids.next();
        UUID secretId = Ids.next();
        String apiKey = KEY_PREFIX + randomText(true);
        String secret = SECRET_PREFIX + randomText(false);
        return checkCallbackUrl(request.callbackUrl())
                .chain(() -> pool.withTransaction(connection -> connection.preparedQuery("""
                        insert into consumers (id, name, all_oas, oa_ids, callback_url, built_in, created_at, updated_at)
                        values ($1, $2, $3, $4, $5, false, now(), now())""")
                        .execute(Tuple.of(id, request.name(), request.oas().all(), request.oas().ids().toArray(Long[]::new),
                                request.callbackUrl()))
                        .chain(() -> insertKey(connection, id, keyId, apiKey))
                        .chain(() -> insertSecret(connection, id, secretId, secret))
                        .chain(() -> notifyReplicas(connection))))
                .onFailure(ConsumerService::nameTaken).transform(taken -> new ProblemException(Problem.of(409,
                        "consumer-exists", "Consumer exists", "A consumer named " + request.name() + " exists already")
                        .withViolations(List.of(new Violation("name", "is taken")))))
                .invoke(keys::forgetAll) // the new key works here at once; the others forget when the NOTIFY comes
                .invoke(() -> {
                    Audit.record(actor, "consumer.created", subject(id));
                    Audit.record(actor, "consumer.key.issued", subject(id, keyId));
                    Audit.record(actor, "consumer.callback_secret.issued", subject(id));
                })
                .chain(() -> get(id))
                .map(consumer -> new Created(consumer, keyId, apiKey, secret));
    }

    public Uni<List<ConsumerRecord>> list() {
        return pool.query(SELECT + " order by c.name").execute().chain(rows -> withKeys(rows, null));
    }

    public Uni<ConsumerRecord> get(UUID id) {
        return pool.preparedQuery(SELECT + " where c.id = $1").execute(Tuple.of(id))
                .chain(rows -> withKeys(rows, id))
                .map(found -> {
                    if (found.isEmpty()) {
                        throw ProblemException.notFound("Consumer " + id);
                    }
                    return found.get(0);
                });
    }

    /** Changes only the fields the PATCH named; a named null removes (callback_url) or resets (rate limit). */
    public Uni<ConsumerRecord> change(UUID id, ConsumerRequests.Changes changes, String actor) {
        List<String> sets = new ArrayList<>();
        Tuple parameters = Tuple.of(id);
        if (changes.oas() != null) {
            parameters.addBoolean(changes.oas().all());
            sets.add("all_oas = $" + parameters.size());
            parameters.addArrayOfLong(changes.oas().ids().toArray(Long[]::new));
            sets.add("oa_ids = $" + parameters.size());
        }
        if (changes.callbackUrl() != null) {
            parameters.addString(changes.callbackUrl().orElse(null));
            sets.add("callback_url = $" + parameters.size());
        }
        if (changes.rateLimit() != null) {
            parameters.addInteger(changes.rateLimit().orElse(null));
            sets.add("rate_limit_per_second = $" + parameters.size());
        }
        if (changes.sendWindow() != null) {
            parameters.addLocalTime(changes.sendWindow().map(SendWindow::from).orElse(null));
            sets.add("send_window_from = $" + parameters.size());
            parameters.addLocalTime(changes.sendWindow().map(SendWindow::to).orElse(null));
            sets.add("send_window_to = $" + parameters.size());
        }
        String url = changes.callbackUrl() == null ? null : changes.callbackUrl().orElse(null);
        return checkCallbackUrl(url)
                .chain(() -> pool.withTransaction(connection -> connection
                        .preparedQuery("update consumers set " + String.join(", ", sets) + ", updated_at = now() where id = $1")
                        .execute(parameters)
                        .call(rows -> rows.rowCount() == 0 ? Uni.createFrom().failure(ProblemException.notFound("Consumer " + id))
                                : notifyReplicas(connection))))
                .invoke(keys::forgetAll)
                .invoke(() -> {
                    if (changes.oas() != null) {
                        Audit.record(actor, "consumer.oa_ids.changed", subject(id));
                    }
                    if (changes.callbackUrl() != null) {
                        Audit.record(actor, changes.callbackUrl().isPresent() ? "consumer.callback_url.changed"
                                : "consumer.callback_url.removed", subject(id));
                    }
                    if (changes.rateLimit() != null) {
                        Audit.record(actor, "consumer.rate_limit_per_second.changed", subject(id));
                    }
                    if (changes.sendWindow() != null) {
                        Audit.record(actor, changes.sendWindow().isPresent() ? "consumer.send_window.changed"
                                : "consumer.send_window.removed", subject(id));
                    }
                })
                .chain(() -> get(id));
    }

    /** A new key beside the consumer's others (rotation: revoke the old one once callers use the new). */
    public Uni<IssuedKey> issueKey(UUID consumerId, String actor) {
        UUID keyId = Ids.next();
        String apiKey = KEY_PREFIX + randomText(true);
        return pool.withTransaction(connection -> exists(connection, consumerId)
                .chain(() -> insertKey(connection, consumerId, keyId, apiKey))
                .chain(() -> notifyReplicas(connection)))
                .invoke(keys::forgetAll) // the new key works here at once; the others forget when the NOTIFY comes
                .invoke(() -> Audit.record(actor, "consumer.key.issued", subject(consumerId, keyId)))
                .chain(() -> pool.preparedQuery("select created_at from consumer_keys where id = $1").execute(Tuple.of(keyId)))
                .map(rows -> new IssuedKey(keyId, apiKey, rows.iterator().next().getOffsetDateTime("created_at").toInstant()));
    }

    /** The key stops working at once, on every replica. Revoking a revoked key changes nothing. */
    public Uni<Void> revokeKey(UUID consumerId, UUID keyId, String actor) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                update consumer_keys set revoked_at = coalesce(revoked_at, now()) where id = $1 and consumer_id = $2""")
                .execute(Tuple.of(keyId, consumerId))
                .call(rows -> rows.rowCount() == 0 ? Uni.createFrom().failure(ProblemException.notFound("Key " + keyId))
                        : notifyReplicas(connection)))
                .invoke(keys::forgetAll)
                .invoke(() -> Audit.record(actor, "consumer.key.revoked", subject(consumerId, keyId)))
                .replaceWithVoid();
    }

    /** A new callback secret; the ones before it keep signing for {@link #SECRET_OVERLAP}, beside it. */
    public Uni<IssuedSecret> rotateSecret(UUID consumerId, String actor) {
        String secret = SECRET_PREFIX + randomText(false);
        Instant now = Instant.now();
        Instant retires = now.plus(SECRET_OVERLAP);
        return pool.withTransaction(connection -> exists(connection, consumerId)
                .chain(() -> connection.preparedQuery("""
                        update callback_secrets set retires_at = $2 where consumer_id = $1 and (retires_at is null or retires_at > $2)""")
                        .execute(Tuple.of(consumerId, retires.atOffset(java.time.ZoneOffset.UTC))))
                .chain(() -> insertSecret(connection, consumerId, Ids.next(), secret)))
                .invoke(() -> Audit.record(actor, "consumer.callback_secret.rotated", subject(consumerId)))
                .map(ignored -> new IssuedSecret(secret, now, retires));
    }

    /** The secrets that sign the consumer's callbacks now, newest first (two during a rotation). */
    public Uni<List<String>> signingSecrets(UUID consumerId) {
        return pool.preparedQuery("""
                select id, sealed from callback_secrets where consumer_id = $1 and (retires_at is null or retires_at > now())
                order by created_at desc""").execute(Tuple.of(consumerId))
                .map(rows -> {
                    List<String> secrets = new ArrayList<>();
                    for (Row row : rows) {
                        secrets.add(box().open(row.getString("sealed"), row.getUUID("id").toString()));
                    }
                    return secrets;
                });
    }

    private static final String SELECT = """
            select c.id, c.name, c.all_oas, c.oa_ids, c.callback_url, c.rate_limit_per_second, c.send_window_from, c.send_window_to,
                   c.built_in, c.created_at, c.updated_at from consumers c""";

    /** The consumers of these rows, each with its keys (one more query for all of them). */
    private Uni<List<ConsumerRecord>> withKeys(RowSet<Row> rows, UUID only) {
        Map<UUID, Row> byId = new LinkedHashMap<>();
        rows.forEach(row -> byId.put(row.getUUID("id"), row));
        if (byId.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return pool.preparedQuery("select id, consumer_id, created_at, revoked_at from consumer_keys where consumer_id = any($1) "
                + "order by created_at").execute(Tuple.of(byId.keySet().toArray(UUID[]::new)))
                .map(keyRows -> {
                    Map<UUID, List<KeyRecord>> keysOf = new LinkedHashMap<>();
                    keyRows.forEach(key -> keysOf.computeIfAbsent(key.getUUID("consumer_id"), c -> new ArrayList<>())
                            .add(new KeyRecord(key.getUUID("id"), key.getOffsetDateTime("created_at").toInstant(),
                                    key.getOffsetDateTime("revoked_at") == null ? null : key.getOffsetDateTime("revoked_at").toInstant())));
                    return byId.values().stream().map(row -> {
                        Long[] oaIds = row.getArrayOfLongs("oa_ids");
                        return new ConsumerRecord(row.getUUID("id"), row.getString("name"), row.getBoolean("all_oas"),
                                oaIds == null ? List.of() : List.of(oaIds), row.getString("callback_url"),
                                row.getInteger("rate_limit_per_second"), sendWindow(row), row.getBoolean("built_in"),
                                keysOf.getOrDefault(row.getUUID("id"), List.of()),
                                row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
                    }).toList();
                });
    }

    private static SendWindow sendWindow(Row row) {
        java.time.LocalTime from = row.getLocalTime("send_window_from");
        java.time.LocalTime to = row.getLocalTime("send_window_to");
        return from == null || to == null ? null : new SendWindow(from, to);
    }

    private Uni<Void> checkCallbackUrl(String url) {
        if (url == null) {
            return Uni.createFrom().voidItem();
        }
        // Resolving the host is a blocking DNS lookup: a worker thread does it.
        return Uni.createFrom().item(() -> callbackUrls.refusal(url))
                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool())
                .map(refusal -> {
                    if (refusal != null) {
                        throw ProblemException.invalid("callback_url", refusal);
                    }
                    return null;
                }).replaceWithVoid();
    }

    private Uni<Void> exists(SqlConnection connection, UUID consumerId) {
        return connection.preparedQuery("select 1 from consumers where id = $1 for update").execute(Tuple.of(consumerId))
                .map(rows -> {
                    if (rows.size() == 0) {
                        throw ProblemException.notFound("Consumer " + consumerId);
                    }
                    return null;
                }).replaceWithVoid();
    }

    private static Uni<Void> insertKey(SqlConnection connection, UUID consumerId, UUID keyId, String apiKey) {
        return connection.preparedQuery("insert into consumer_keys (id, consumer_id, key_hash, created_at) values ($1, $2, $3, now())")
                .execute(Tuple.of(keyId, consumerId, Sha256.hex(apiKey))).replaceWithVoid();
    }

    private Uni<Void> insertSecret(SqlConnection connection, UUID consumerId, UUID secretId, String secret) {
        return connection.preparedQuery("insert into callback_secrets (id, consumer_id, sealed, created_at) values ($1, $2, $3, now())")
                .execute(Tuple.of(secretId, consumerId, box().seal(secret, secretId.toString()))).replaceWithVoid();
    }

    /** Delivered when the transaction commits; every replica drops its cached keys then. */
    private static Uni<Void> notifyReplicas(SqlConnection connection) {
        return connection.query("select pg_notify('" + ConsumerKeys.CHANNEL + "', '')").execute().replaceWithVoid();
    }

    private SecretBox box() {
        return secretBox.orElseThrow(() -> new ProblemException(Problem.of(503, "secrets-key-missing",
                "Secrets key missing", "gateway.secrets.key is not set: callback secrets cannot be sealed or used")));
    }

    /** What an audit line names: ids only. */
    private static String subject(UUID consumerId) {
        return "consumer:" + consumerId;
    }

    private static String subject(UUID consumerId, UUID keyId) {
        return "consumer:" + consumerId + "/key:" + keyId;
    }

    private static boolean nameTaken(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState());
    }

    /** 32 random bytes as base64 (url-safe, unpadded for keys; standard for secrets, as Standard Webhooks writes them). */
    private String randomText(boolean urlSafe) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return urlSafe ? Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) : Base64.getEncoder().encodeToString(bytes);
    }
}
