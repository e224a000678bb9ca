package vn.zalogateway.common.idempotency;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;

/**
 * The table of Idempotency-Keys. A key belongs to the first request that inserts it (a unique
 * constraint with {@code ON CONFLICT DO NOTHING}, so concurrent twins wait for each other instead of
 * failing); it points at the resource that request made. Call inside the caller's transaction, so the
 * key and its resource are committed together.
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** The request that holds a key: its resource and whether it was the same request. */
    public record Holder(UUID resourceId, boolean sameRequest) {
    }

    /** Empty when the key is now this request's, pointing at {@code resourceId}; otherwise who holds it. */
    public Uni<Optional<Holder>> claim(IdempotencyKey key, UUID resourceId, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                insert into idempotency_keys (consumer, operation, idempotency_key, request_hash, resource_id, created_at)
                values (:consumer, :operation, :key, :hash, :resource, :now)
                on conflict do nothing""")
                .setParameter("consumer", key.consumer())
                .setParameter("operation", key.operation())
                .setParameter("key", key.key())
                .setParameter("hash", key.requestHash())
                .setParameter("resource", resourceId)
                .setParameter("now", now)
                .executeUpdate()
                .chain(inserted -> inserted == 1
                        ? Uni.createFrom().item(Optional.<Holder>empty())
                        : holder(key).map(Optional::of)));
    }

    /**
     * {@link #claim(IdempotencyKey, UUID, Instant)} in a transaction of the reactive client (the caller's connection)
     * rather than a Hibernate session: the same statement, the same answers.
     */
    public Uni<Optional<Holder>> claim(SqlClient connection, IdempotencyKey key, UUID resourceId, Instant now) {
        return connection.preparedQuery("""
                insert into idempotency_keys (consumer, operation, idempotency_key, request_hash, resource_id, created_at)
                values ($1, $2, $3, $4, $5, $6)
                on conflict do nothing""")
                .execute(Tuple.of(key.consumer(), key.operation(), key.key(), key.requestHash(), resourceId,
                        now.atOffset(java.time.ZoneOffset.UTC)))
                .chain(inserted -> inserted.rowCount() == 1
                        ? Uni.createFrom().item(Optional.<Holder>empty())
                        : holder(connection, key).map(holder -> Optional.of(holder.orElseThrow())));
    }

    /** Who holds the key now, if anyone (the caller's client: a pool, or its transaction's connection). */
    public Uni<Optional<Holder>> holder(SqlClient client, IdempotencyKey key) {
        return client.preparedQuery("""
                select request_hash, resource_id from idempotency_keys
                where consumer = $1 and operation = $2 and idempotency_key = $3""")
                .execute(Tuple.of(key.consumer(), key.operation(), key.key()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        return Optional.<Holder>empty();
                    }
                    Row row = rows.iterator().next();
                    return Optional.of(new Holder(row.getUUID("resource_id"), key.requestHash().equals(row.getString("request_hash"))));
                });
    }

    /**
     * Moves the key from a dead attempt to a new one. False when another request moved it first: the
     * key is in use again.
     */
    public Uni<Boolean> handOver(IdempotencyKey key, UUID from, UUID to) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                update idempotency_keys set resource_id = :to
                where consumer = :consumer and operation = :operation and idempotency_key = :key and resource_id = :from""")
                .setParameter("to", to)
                .setParameter("from", from)
                .setParameter("consumer", key.consumer())
                .setParameter("operation", key.operation())
                .setParameter("key", key.key())
                .executeUpdate()
                .map(updated -> updated == 1));
    }

    /** 422: the key was first used with another request. */
    public static ProblemException reused() {
        return new ProblemException(Problem.of(422, "idempotency-key-reused", "Idempotency-Key reused",
                "This Idempotency-Key was first used with a different request body; use a new key for a new request"));
    }

    /** 409: the key's first request is still running. */
    public static ProblemException inFlight() {
        return new ProblemException(Problem.of(409, "idempotency-key-in-flight", "Request in progress",
                "A request with this Idempotency-Key is still being processed; retry when it has finished"));
    }

    private Uni<Holder> holder(IdempotencyKey key) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select request_hash, resource_id from idempotency_keys
                where consumer = :consumer and operation = :operation and idempotency_key = :key""", Object[].class)
                .setParameter("consumer", key.consumer())
                .setParameter("operation", key.operation())
                .setParameter("key", key.key())
                .getSingleResult()
                .map(row -> new Holder((UUID) row[1], key.requestHash().equals(row[0]))));
    }
}
