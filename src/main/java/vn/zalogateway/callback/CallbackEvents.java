package vn.zalogateway.callback;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The callback_events table as a delivery queue (events are written by triggers, in the transaction of the
 * status change). Claiming is like the message outbox: due rows, {@code FOR UPDATE SKIP LOCKED}, a lease and
 * a claim token that every outcome is written under; and only the oldest pending event of a message or
 * journey, so that a consumer receives each subject's changes in their order.
 */
@ApplicationScoped
public class CallbackEvents {

    /** An event claimed for one delivery attempt, with where it goes now (null when the URL was removed). */
    public record Claimed(UUID id, UUID claim, UUID consumerId, String eventType, UUID subjectId, int sequence,
            JsonObject data, int attempts, Instant createdAt, String callbackUrl) {
    }

    /** One delivery as the consumer's log lists it. */
    public record Delivery(UUID id, String eventType, UUID subjectId, int sequence, String status, int attempts,
            Integer lastStatusCode, String lastError, Instant nextAttemptAt, Instant createdAt, Instant deliveredAt) {
    }

    /**
     * Due events claimed consumer by consumer on an index ({@link #claim}); the rows claimed are written by primary key.
     */
    static final String CLAIM = """
            with due as (
                select d.id from consumers c
                left join unnest($4::uuid[], $6::int[]) as b(consumer_id, sending) on b.consumer_id = c.id
                cross join lateral (
                    select e.id from callback_events e
                    where e.consumer_id = c.id and e.status = 'PENDING' and e.next_attempt_at <= now()
                      and (e.lease_until is null or e.lease_until < now())
                      and not exists (select 1 from callback_events p where p.subject_id = e.subject_id
                                      and p.status = 'PENDING' and p.sequence < e.sequence)
                    order by e.next_attempt_at, e.id
                    limit greatest($5 - coalesce(b.sending, 0), 0)
                    for update of e skip locked) d
                limit $1)
            update callback_events e set lease_until = now() + $2 * interval '1 millisecond', claim = $3,
                attempts = e.attempts + 1, updated_at = now()
            from due where e.id = due.id
            returning e.id, e.consumer_id, e.event_type, e.subject_id, e.sequence, e.data::text as data, e.attempts,
                e.created_at, (select c.callback_url from consumers c where c.id = e.consumer_id) as callback_url""";

    /** Deliveries recorded, by primary key, under their claims. */
    static final String DELIVERED = """
            with done as (
                update callback_events e set status = 'DELIVERED', last_status_code = d.status_code, last_error = null,
                    delivered_at = now(), next_attempt_at = null, lease_until = null, updated_at = now()
                from unnest($1::uuid[], $2::uuid[], $3::int[]) as d(id, claim, status_code)
                where e.id = any($1::uuid[]) and e.id = d.id and e.claim = d.claim and e.status = 'PENDING'
                returning e.id, e.attempts, e.last_status_code)
            insert into callback_attempts (event_id, attempt, status_code, answered_at)
            select id, attempts, last_status_code, now() from done on conflict do nothing""";

    /** A failed attempt recorded, by primary key, under its claim. */
    static final String ATTEMPT_FAILED = """
            with done as (
                update callback_events set last_status_code = $3, last_error = $4, lease_until = null, updated_at = now(),
                    status = case when $5::bigint is null then 'FAILED' else 'PENDING' end,
                    next_attempt_at = case when $5::bigint is null then null else now() + $5::bigint * interval '1 millisecond' end
                where id = $1 and claim = $2 and status = 'PENDING'
                returning id, attempts, last_status_code, last_error)
            insert into callback_attempts (event_id, attempt, status_code, error, answered_at)
            select id, attempts, last_status_code, last_error, now() from done on conflict do nothing""";

    private final Pool pool;

    CallbackEvents(Pool pool) {
        this.pool = pool;
    }

    /**
     * Claims due events, each consumer's oldest first and no more of them than its free delivery slots here
     * ({@code perConsumer} minus what {@code inFlight} says this instance is already sending to it), so that a
     * slow receiver holds back only its own callbacks. Consumer by consumer on an index: the cost does not
     * grow with the backlog.
     */
    Uni<List<Claimed>> claim(int batchSize, int perConsumer, Map<UUID, Integer> inFlight, Duration lease, UUID claim) {
        UUID[] busy = inFlight.keySet().toArray(UUID[]::new);
        Integer[] sending = java.util.Arrays.stream(busy).map(inFlight::get).toArray(Integer[]::new);
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.from(List.of(batchSize, lease.toMillis(), claim, busy, perConsumer, sending)))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        claimed.add(new Claimed(row.getUUID("id"), claim, row.getUUID("consumer_id"), row.getString("event_type"),
                                row.getUUID("subject_id"), row.getInteger("sequence"), new JsonObject(row.getString("data")),
                                row.getInteger("attempts"), row.getOffsetDateTime("created_at").toInstant(),
                                row.getString("callback_url")));
                    }
                    return claimed;
                });
    }

    /** A delivery acknowledged by its receiver, to be recorded. */
    record Delivered(UUID id, UUID claim, int statusCode) {
    }

    /** Records deliveries in one statement; those whose claim was lost (another sender took them) are left alone. */
    Uni<Integer> delivered(List<Delivered> deliveries) {
        return updated(DELIVERED,
                Tuple.of(deliveries.stream().map(Delivered::id).toArray(UUID[]::new),
                        deliveries.stream().map(Delivered::claim).toArray(UUID[]::new),
                        deliveries.stream().map(Delivered::statusCode).toArray(Integer[]::new)));
    }

    /** A failed attempt: tried again after {@code delay}, or FAILED when there is none left (null). */
    Uni<Integer> attemptFailed(UUID id, UUID claim, Integer statusCode, String error, Duration delay) {
        return updated(ATTEMPT_FAILED,
                Tuple.from(java.util.Arrays.asList(id, claim, statusCode, clip(error), delay == null ? null : delay.toMillis())));
    }

    /** Seconds since the oldest pending callback of each consumer that has one was made, by consumer name. */
    Uni<java.util.Map<String, Double>> oldestPending() {
        return pool.query("""
                select c.name, extract(epoch from now() - min(e.created_at)) as age from callback_events e
                join consumers c on c.id = e.consumer_id where e.status = 'PENDING' group by c.name""").execute()
                .map(rows -> {
                    java.util.Map<String, Double> ages = new java.util.HashMap<>();
                    rows.forEach(row -> ages.put(row.getString("name"), row.getNumeric("age").doubleValue()));
                    return ages;
                });
    }

    /** The consumer's deliveries, newest first, after the cursor's id. */
    public Uni<List<Delivery>> list(UUID consumerId, String status, UUID before, int size) {
        return pool.preparedQuery("""
                select id, event_type, subject_id, sequence, status, attempts, last_status_code, last_error, next_attempt_at,
                    created_at, delivered_at
                from callback_events
                where consumer_id = $1 and ($2::text is null or status = $2) and ($3::uuid is null or id < $3)
                order by id desc limit $4""")
                .execute(Tuple.from(java.util.Arrays.asList(consumerId, status, before, size)))
                .map(rows -> {
                    List<Delivery> deliveries = new ArrayList<>();
                    for (Row row : rows) {
                        deliveries.add(new Delivery(row.getUUID("id"), row.getString("event_type"), row.getUUID("subject_id"),
                                row.getInteger("sequence"), row.getString("status"), row.getInteger("attempts"),
                                row.getInteger("last_status_code"), row.getString("last_error"), instant(row, "next_attempt_at"),
                                instant(row, "created_at"), instant(row, "delivered_at")));
                    }
                    return deliveries;
                });
    }

    /** What asking for a delivery again did. */
    public enum Redelivery {
        /** Due now: the next claim sends it. */
        QUEUED,
        /** Being sent at this moment (its claim's lease holds): left alone, so it is not sent twice. */
        IN_FLIGHT,
        /** Not the consumer's (or no such delivery). */
        NOT_FOUND
    }

    /**
     * Tries the consumer's delivery again now (a DELIVERED or FAILED one too), unless an attempt holds it: the
     * attempt's claim and lease stay, so it is neither sent a second time nor loses its outcome.
     */
    public Uni<Redelivery> redeliver(UUID consumerId, UUID id) {
        return pool.preparedQuery("""
                with queued as (
                    update callback_events set status = 'PENDING', next_attempt_at = now(), lease_until = null, updated_at = now()
                    where id = $1 and consumer_id = $2 and (lease_until is null or lease_until < now())
                    returning id)
                select exists (select 1 from queued) as queued,
                    exists (select 1 from callback_events where id = $1 and consumer_id = $2) as found""")
                .execute(Tuple.of(id, consumerId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return row.getBoolean("queued") ? Redelivery.QUEUED
                            : row.getBoolean("found") ? Redelivery.IN_FLIGHT : Redelivery.NOT_FOUND;
                });
    }

    private Uni<Integer> updated(String sql, Tuple parameters) {
        return pool.preparedQuery(sql).execute(parameters).map(rows -> rows.rowCount());
    }

    private static Instant instant(Row row, String column) {
        return row.getOffsetDateTime(column) == null ? null : row.getOffsetDateTime(column).toInstant();
    }

    private static String clip(String text) {
        return text == null || text.length() <= 500 ? text : text.substring(0, 500);
    }
}
