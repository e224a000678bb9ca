package vn.zalogateway.batch;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.batch.api.BatchAnswer;
import vn.zalogateway.batch.api.BatchView;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.Timestamps;
import vn.zalogateway.common.auth.ConsumerIdentity;
import vn.zalogateway.common.idempotency.IdempotencyKey;
import vn.zalogateway.common.idempotency.IdempotencyKeys;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.ratelimit.RateLimit;
import vn.zalogateway.common.ratelimit.RateLimiter;
import vn.zalogateway.message.MessageIntake;
import vn.zalogateway.message.MessageLifecycle;
import vn.zalogateway.message.MessageService;
import vn.zalogateway.message.MessageStatus;
import vn.zalogateway.message.NewMessage;

/**
 * Batches, and the {@code batches} table's one writer. A batch's bodies are read one by one by {@link MessageIntake}
 * (every rule a message alone meets), its journeys checked as a message's are, its valid items counted by the rate
 * limits one send each; then one transaction claims the Idempotency-Key, stores the batch with its answer and inserts
 * its messages in one statement ({@link MessageService#acceptAll}). Its messages are ordinary messages from then on.
 */
@ApplicationScoped
public class BatchService {

    /** The 202's body, whether it answers an earlier request with the same key, and what is left of the rate limit. */
    public record Accepted(BatchAnswer answer, boolean replayed, RateLimit limit) {
    }

    private final MessageIntake intake;
    private final MessageService messages;
    private final MessageLifecycle lifecycle;
    private final IdempotencyKeys idempotencyKeys;
    private final RateLimiter rateLimiter;
    private final Pool pool;
    private final ObjectMapper json;
    private final Clock clock = Clock.systemUTC();

    BatchService(MessageIntake intake, MessageService messages, MessageLifecycle lifecycle, IdempotencyKeys idempotencyKeys,
            RateLimiter rateLimiter, Pool pool, ObjectMapper json) {
        this.intake = intake;
        this.messages = messages;
        this.lifecycle = lifecycle;
        this.idempotencyKeys = idempotencyKeys;
        this.rateLimiter = rateLimiter;
        this.pool = pool;
        this.json = json;
    }

    /**
     * A request that repeats an earlier one's key gets that one's answer before anything else is done (no rule is
     * checked again, no send counted); a different body with the key is refused. Otherwise the items are read and
     * counted, and the valid ones stored together with the batch.
     *
     * @param key null when the consumer sent no Idempotency-Key
     */
    public Uni<Accepted> accept(ConsumerIdentity caller, BatchRequest request, IdempotencyKey key) {
        Uni<Optional<Accepted>> earlier = key == null ? Uni.createFrom().item(Optional.empty())
                : idempotencyKeys.holder(pool, key).chain(holder -> holder.isEmpty() ? Uni.createFrom().item(Optional.<Accepted>empty())
                        : replay(pool, holder.get()).map(Optional::of));
        return earlier.chain(replayed -> replayed.isPresent() ? Uni.createFrom().item(replayed.get())
                : intake.readAll(request.messages(), caller)
                        .chain(items -> messages.checkJourneys(caller.id(), items))
                        .chain(items -> rateLimiter.admitAll(caller, sendsPerOa(items))
                                .chain(limit -> store(caller.id(), request.ext(), items, key)
                                        .map(stored -> new Accepted(stored.answer(), stored.replayed(), limit)))));
    }

    /** The consumer's batch, with its messages' statuses now; 404 when it is not the consumer's. */
    public Uni<BatchView> get(UUID id, UUID consumerId, java.time.ZoneId zone) {
        return pool.preparedQuery("select ext, accepted, rejected, items, created_at from batches where id = $1 and consumer_id = $2")
                .execute(Tuple.of(id, consumerId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().failure(ProblemException.notFound("Batch " + id));
                    }
                    Row batch = rows.iterator().next();
                    // The batch's index (batch_id, status) include (id) answers this alone: no scan of the messages.
                    return pool.preparedQuery("select id, status from messages where batch_id = $1")
                            .execute(Tuple.of(id))
                            .map(statuses -> {
                                Map<UUID, MessageStatus> statusOf = new HashMap<>();
                                Map<MessageStatus, Integer> counts = new EnumMap<>(MessageStatus.class);
                                for (MessageStatus status : MessageStatus.values()) {
                                    counts.put(status, 0);
                                }
                                for (Row row : statuses) {
                                    MessageStatus status = MessageStatus.valueOf(row.getString("status"));
                                    statusOf.put(row.getUUID("id"), status);
                                    counts.merge(status, 1, Integer::sum);
                                }
                                List<BatchView.Item> items = new ArrayList<>();
                                for (JsonNode item : readItems(batch.getString("items"))) {
                                    if (item.hasNonNull("id")) {
                                        UUID messageId = UUID.fromString(item.get("id").textValue());
                                        items.add(new BatchView.Item(item.get("index").intValue(), messageId.toString(), statusOf.get(messageId)));
                                    }
                                }
                                return new BatchView(id.toString(), batch.getString("ext"), batch.getInteger("accepted"),
                                        batch.getInteger("rejected"), counts, items,
                                        Timestamps.at(batch.getOffsetDateTime("created_at").toInstant(), zone));
                            });
                });
    }

    /** Cancels every message of the consumer's batch that can still be taken back: how many were; 404 when not its batch. */
    public Uni<Integer> cancel(UUID id, UUID consumerId) {
        return pool.preparedQuery("select 1 from batches where id = $1 and consumer_id = $2").execute(Tuple.of(id, consumerId))
                .chain(rows -> rows.size() == 0 ? Uni.createFrom().failure(ProblemException.notFound("Batch " + id))
                        : lifecycle.cancelBatch(id, consumerId));
    }

    /** Each OA's valid items: what the rate limits count. */
    private static Map<Long, Integer> sendsPerOa(List<MessageIntake.Item> items) {
        Map<Long, Integer> perOa = new LinkedHashMap<>();
        for (MessageIntake.Item item : items) {
            if (item.valid()) {
                perOa.merge(item.message().oaId(), 1, Integer::sum);
            }
        }
        return perOa;
    }

    /**
     * One transaction: the key (when there is one) is claimed for the batch, the batch stored with its answer, its
     * valid messages inserted; the dispatcher is woken once that committed. A twin request that claimed the key first
     * is answered with that one's batch.
     */
    private Uni<Accepted> store(UUID consumerId, String ext, List<MessageIntake.Item> items, IdempotencyKey key) {
        UUID batchId = Ids.next();
        Instant now = clock.instant();
        List<UUID> ids = new ArrayList<>();
        List<NewMessage> valid = new ArrayList<>();
        List<BatchAnswer.Item> answered = new ArrayList<>(items.size());
        for (MessageIntake.Item item : items) {
            if (item.valid()) {
                UUID id = Ids.next();
                ids.add(id);
                valid.add(item.message());
                answered.add(new BatchAnswer.Item(item.index(), id.toString(), null));
            } else {
                answered.add(new BatchAnswer.Item(item.index(), null, item.violations()));
            }
        }
        BatchAnswer answer = new BatchAnswer(batchId.toString(), valid.size(), items.size() - valid.size(), write(answered));
        return pool.withTransaction(connection -> (key == null ? Uni.createFrom().item(Optional.<IdempotencyKeys.Holder>empty())
                : idempotencyKeys.claim(connection, key, batchId, now))
                .chain(holder -> holder.isPresent() ? replay(connection, holder.get())
                        : connection.preparedQuery("""
                                insert into batches (id, consumer_id, ext, accepted, rejected, items, created_at)
                                values ($1, $2, $3, $4, $5, $6, $7)""")
                                .execute(Tuple.tuple().addUUID(batchId).addUUID(consumerId).addString(ext)
                                        .addInteger(answer.accepted()).addInteger(answer.rejected()).addString(answer.items())
                                        .addOffsetDateTime(now.atOffset(ZoneOffset.UTC)))
                                .chain(() -> valid.isEmpty() ? Uni.createFrom().voidItem()
                                        : messages.acceptAll(connection, consumerId, batchId, ids, valid, now))
                                .replaceWith(new Accepted(answer, false, null))))
                .invoke(accepted -> {
                    if (!accepted.replayed() && accepted.answer().accepted() > 0) {
                        messages.dispatchSoon();
                    }
                });
    }

    /** The answer the key's first request got; 422 when that request was another one. */
    private Uni<Accepted> replay(SqlClient client, IdempotencyKeys.Holder holder) {
        if (!holder.sameRequest()) {
            return Uni.createFrom().failure(IdempotencyKeys.reused());
        }
        return client.preparedQuery("select accepted, rejected, items from batches where id = $1")
                .execute(Tuple.of(holder.resourceId()))
                .map(rows -> {
                    if (rows.size() == 0) {
                        // The key's first request has not committed its batch yet.
                        throw IdempotencyKeys.inFlight();
                    }
                    Row row = rows.iterator().next();
                    return new Accepted(new BatchAnswer(holder.resourceId().toString(), row.getInteger("accepted"),
                            row.getInteger("rejected"), row.getString("items")), true, null);
                });
    }

    private String write(List<BatchAnswer.Item> items) {
        try {
            return json.writeValueAsString(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A batch's items are always serialisable", e);
        }
    }

    private JsonNode readItems(String items) {
        try {
            return json.readTree(items);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A batch keeps the items it wrote", e);
        }
    }
}
