package vn.zalogateway.message;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.common.GroupCommit;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.Timestamps;
import vn.zalogateway.common.idempotency.IdempotencyKey;
import vn.zalogateway.common.idempotency.IdempotencyKeys;
import vn.zalogateway.common.problem.DatabaseUnavailable;
import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;
import vn.zalogateway.journey.Journey;
import vn.zalogateway.journey.JourneyRepository;
import vn.zalogateway.journey.JourneyUse;
import vn.zalogateway.ledger.Ledger;

/**
 * Accepts messages: one transaction checks a linked journey, claims the Idempotency-Key and commits
 * the message to the outbox; only then does the consumer get its 202 and the dispatcher its kick.
 */
@ApplicationScoped
public class MessageService {

    /**
     * A message with its journey (null when none), its receipts, its cost as the ledger has it (null while none is
     * known), and whether it answers an earlier request with the same key.
     */
    public record Result(Message message, Journey journey, List<ReceiptLine> receipts, Ledger.MessageCost cost, boolean replayed) {

        Result(Message message, Journey journey, boolean replayed) {
            this(message, journey, List.of(), null, replayed);
        }
    }

    /**
     * One receipt in a message's timeline: its cost when it carried one, the provider's own times, what
     * Zalo answered (NXCloud's zaloRes), and which of its fields could not be read.
     */
    public record ReceiptLine(String provider, String status, Integer code, String message,
            java.math.BigDecimal costAmount, String costCurrency, Instant receivedAt, Instant sentAt, Instant providerTime,
            ZaloLine zalo, String unreadable, boolean sms) {
    }

    /** Zalo's answer as NXCloud relayed it; null when the receipt carried none. */
    public record ZaloLine(Integer error, String message, String sysMsg, String cusMsg, String msgId, Instant sentAt,
            String sendingMode) {
    }

    private final MessageRepository messages;
    private final JourneyRepository journeys;
    private final Ledger ledger;
    private final MessageLifecycle lifecycle;
    private final IdempotencyKeys idempotencyKeys;
    private final Dispatcher dispatcher;
    private final Clock clock = Clock.systemUTC();
    /** Messages that arrive together share one INSERT (group commit); one that finds a writer free goes at once. */
    private final GroupCommit<Message> accepts;
    private final Pool pool;

    MessageService(MessageRepository messages, JourneyRepository journeys, Ledger ledger, MessageLifecycle lifecycle,
            IdempotencyKeys idempotencyKeys, Dispatcher dispatcher, Pool pool) {
        this.pool = pool;
        this.accepts = new GroupCommit<>(ACCEPTS_TOGETHER, ACCEPT_WRITERS, batch -> insert(pool, batch, null),
                message -> insert(pool, List.of(message), null), DatabaseUnavailable::is);
        this.lifecycle = lifecycle;
        this.messages = messages;
        this.journeys = journeys;
        this.ledger = ledger;
        this.idempotencyKeys = idempotencyKeys;
        this.dispatcher = dispatcher;
    }

    /** The most messages one INSERT takes from requests that arrived together, and how many such INSERTs run at once. */
    static final int ACCEPTS_TOGETHER = 256;
    static final int ACCEPT_WRITERS = 4;

    /** @param key null when the consumer sent no Idempotency-Key */
    public Uni<Result> accept(UUID consumerId, NewMessage request, IdempotencyKey key) {
        Message message = Message.accept(Ids.next(), consumerId, request, clock.instant());
        Uni<Result> accepted = request.journeyId() != null ? acceptWithJourney(consumerId, request, key, message)
                // One INSERT commits by itself (no transaction), shared with the messages that arrived meanwhile.
                : key == null ? accepts.submit(message).map(stored -> new Result(message, null, false))
                // The key claimed and the message stored in one transaction of two statements; a key held already
                // answers with its message (read after that transaction, which stored nothing).
                : pool.withTransaction(connection -> idempotencyKeys.claim(connection, key, message.id(), message.createdAt())
                        .call(holder -> holder.isEmpty() ? insert(connection, List.of(message), null) : Uni.createFrom().voidItem()))
                        .chain(holder -> holder.isEmpty() ? Uni.createFrom().item(new Result(message, null, false))
                                : Panache.withSession(() -> replay(holder.get())));
        return accepted
                .invoke(result -> {
                    if (!result.replayed()) {
                        dispatcher.kick();
                    }
                });
    }

    /** A message that links a journey: the journey checked and used, the key claimed and the message stored, in one transaction. */
    private Uni<Result> acceptWithJourney(UUID consumerId, NewMessage request, IdempotencyKey key, Message message) {
        return Panache.withTransaction(() -> linkedJourney(consumerId, request)
                        .chain(journey -> key == null ? persist(message, journey)
                                : idempotencyKeys.claim(key, message.id(), message.createdAt())
                                        .chain(holder -> holder.isEmpty() ? persist(message, journey) : replay(holder.get()))));
    }

    /**
     * Many messages (a batch's), in the caller's transaction on its connection: one INSERT for all of them (their
     * columns as arrays, unnested), whatever their number; each message as {@link #accept} would store it alone
     * (accepted, or scheduled for its send_at, due at its window's next opening), naming its batch. After the commit,
     * {@link #dispatchSoon()}.
     */
    public Uni<Void> acceptAll(SqlClient connection, UUID consumerId, UUID batchId, List<UUID> ids, List<NewMessage> requests,
            Instant now) {
        List<Message> accepted = new java.util.ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            accepted.add(Message.accept(ids.get(i), consumerId, requests.get(i), now));
        }
        return insert(connection, accepted, batchId);
    }

    /**
     * Messages as {@link Message#accept} made them, in one INSERT (their columns as arrays, unnested) whatever their
     * number: one statement, so all or none are stored, in the caller's transaction or committing by itself.
     */
    static Uni<Void> insert(SqlClient client, List<Message> accepted, UUID batchId) {
        int n = accepted.size();
        UUID[] consumerId = new UUID[n];
        java.time.OffsetDateTime[] createdAt = new java.time.OffsetDateTime[n];
        UUID[] id = new UUID[n];
        String[] kind = new String[n];
        Long[] oaId = new Long[n];
        String[] userId = new String[n];
        String[] templateType = new String[n];
        String[] language = new String[n];
        String[] zaloPayload = new String[n];
        String[] phone = new String[n];
        Integer[] templateId = new Integer[n];
        String[] templateData = new String[n];
        Boolean[] sandbox = new Boolean[n];
        java.time.OffsetDateTime[] sendAt = new java.time.OffsetDateTime[n];
        String[] ext = new String[n];
        UUID[] journeyRef = new UUID[n];
        String[] journeyPhone = new String[n];
        String[] journeyTokenType = new String[n];
        String[] status = new String[n];
        java.time.OffsetDateTime[] dueAt = new java.time.OffsetDateTime[n];
        java.time.LocalTime[] windowFrom = new java.time.LocalTime[n];
        java.time.LocalTime[] windowTo = new java.time.LocalTime[n];
        String[] fallbackPhone = new String[n];
        String[] fallbackText = new String[n];
        String[] fallbackBrandname = new String[n];
        Boolean[] fallbackUnicode = new Boolean[n];
        Short[] fallbackParts = new Short[n];
        Long[] fallbackAfterMs = new Long[n];
        Boolean[] templateChecked = new Boolean[n];
        String[] storedTemplateName = new String[n];
        Integer[] storedTemplateVersion = new Integer[n];
        for (int i = 0; i < n; i++) {
            Message message = accepted.get(i);
            consumerId[i] = message.consumerId();
            createdAt[i] = utc(message.createdAt());
            id[i] = message.id();
            kind[i] = message.kind().wireName();
            oaId[i] = message.oaId();
            userId[i] = message.userId();
            templateType[i] = message.templateType();
            language[i] = message.language();
            zaloPayload[i] = message.zaloPayload();
            phone[i] = message.phone();
            templateId[i] = message.templateId();
            templateData[i] = message.templateData();
            sandbox[i] = message.sandbox();
            sendAt[i] = utc(message.sendAt());
            ext[i] = message.ext();
            journeyRef[i] = message.journeyRef();
            journeyPhone[i] = message.journeyPhone();
            journeyTokenType[i] = message.journeyTokenType();
            status[i] = message.status().name();
            dueAt[i] = utc(message.dueAt());
            if (message.window() != null) {
                windowFrom[i] = message.window().from();
                windowTo[i] = message.window().to();
            }
            templateChecked[i] = message.templateChecked();
            storedTemplateName[i] = message.storedTemplateName();
            storedTemplateVersion[i] = message.storedTemplateVersion();
            Fallback fallback = message.fallback();
            if (fallback != null) {
                fallbackPhone[i] = fallback.phone();
                fallbackText[i] = fallback.text();
                fallbackBrandname[i] = fallback.brandname();
                fallbackUnicode[i] = fallback.unicode();
                fallbackParts[i] = (short) fallback.parts();
                fallbackAfterMs[i] = fallback.after() == null ? null : fallback.after().toMillis();
            }
        }
        return client.preparedQuery(INSERT_ALL)
                .execute(Tuple.from(java.util.Arrays.asList(consumerId, batchId, createdAt, id, kind, oaId, userId, templateType, language,
                        zaloPayload, phone, templateId, templateData, sandbox, sendAt, ext, journeyRef, journeyPhone,
                        journeyTokenType, status, dueAt, windowFrom, windowTo, fallbackPhone, fallbackText, fallbackBrandname,
                        fallbackUnicode, fallbackParts, fallbackAfterMs, templateChecked, storedTemplateName, storedTemplateVersion)))
                .replaceWithVoid();
    }

    private static final String INSERT_ALL = """
            insert into messages (consumer_id, batch_id, created_at, updated_at, id, kind, oa_id, user_id, template_type,
                language, zalo_payload, phone, template_id, template_data, sandbox, send_at, ext, journey_ref, journey_phone,
                journey_token_type, status, due_at, window_from, window_to, fallback_phone, fallback_text, fallback_brandname,
                fallback_unicode, fallback_parts, fallback_after_ms, template_checked, stored_template_name,
                stored_template_version)
            select m.consumer_id, $2::uuid, m.created_at, m.created_at, m.id, m.kind, m.oa_id, m.user_id, m.template_type, m.language,
                m.zalo_payload, m.phone, m.template_id, m.template_data, m.sandbox, m.send_at, m.ext, m.journey_ref,
                m.journey_phone, m.journey_token_type, m.status, m.due_at, m.window_from, m.window_to, m.fallback_phone,
                m.fallback_text, m.fallback_brandname, m.fallback_unicode, m.fallback_parts, m.fallback_after_ms,
                m.template_checked, m.stored_template_name, m.stored_template_version
            from unnest($1::uuid[], $3::timestamptz[], $4::uuid[], $5::varchar[], $6::bigint[], $7::varchar[], $8::varchar[], $9::varchar[], $10::text[],
                $11::varchar[], $12::int[], $13::text[], $14::boolean[], $15::timestamptz[], $16::varchar[], $17::uuid[],
                $18::varchar[], $19::varchar[], $20::varchar[], $21::timestamptz[], $22::time[], $23::time[], $24::varchar[],
                $25::varchar[], $26::varchar[], $27::boolean[], $28::smallint[], $29::bigint[], $30::boolean[], $31::varchar[],
                $32::int[]) as m (consumer_id, created_at, id, kind, oa_id, user_id, template_type, language, zalo_payload, phone,
                    template_id, template_data, sandbox, send_at, ext, journey_ref, journey_phone, journey_token_type, status,
                    due_at, window_from, window_to, fallback_phone, fallback_text, fallback_brandname, fallback_unicode,
                    fallback_parts, fallback_after_ms, template_checked, stored_template_name, stored_template_version)""";

    /** The dispatcher's wake-up, once the caller committed messages that are due. */
    public void dispatchSoon() {
        dispatcher.kick();
    }

    /**
     * The items (a batch's) that link a journey ({@code journey_id}), checked as {@link #accept} checks one: a journey
     * that is not the consumer's, or cannot carry its message, makes its item invalid with that violation. One query for
     * all the journeys named.
     */
    @WithSession
    public Uni<List<MessageIntake.Item>> checkJourneys(UUID consumerId, List<MessageIntake.Item> items) {
        List<UUID> named = items.stream().filter(MessageIntake.Item::valid).map(item -> item.message().journeyId())
                .filter(Objects::nonNull).distinct().toList();
        if (named.isEmpty()) {
            return Uni.createFrom().item(items);
        }
        Instant now = clock.instant();
        return journeys.list("id in ?1", named).map(found -> {
            Map<UUID, Journey> byId = found.stream().collect(Collectors.toMap(Journey::id, Function.identity()));
            return items.stream().map(item -> {
                if (!item.valid() || item.message().journeyId() == null) {
                    return item;
                }
                NewMessage request = item.message();
                Journey journey = byId.get(request.journeyId());
                if (journey == null || !journey.consumerId().equals(consumerId)) {
                    return new MessageIntake.Item(item.index(), null, List.of(new Violation("journey_id", "no journey with this id")));
                }
                try {
                    JourneyUse.check(journey, request.oaId(), request.phone(), request.sendAt(), now);
                    return item;
                } catch (ProblemException refused) {
                    return new MessageIntake.Item(item.index(), null, refused.problem().violations());
                }
            }).toList();
        });
    }

    private static java.time.OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(java.time.ZoneOffset.UTC);
    }

    /**
     * Takes a message back before it was claimed for sending: CANCELLED now (a status callback tells the consumer),
     * or before (the same answer); 409 once it is on its way, 404 when it is not the consumer's.
     */
    public Uni<Result> cancel(UUID id, UUID consumerId) {
        return lifecycle.cancel(id, consumerId).chain(cancelled -> switch (cancelled) {
            case NOW, BEFORE -> get(id, consumerId);
            case NOT_FOUND -> Uni.createFrom().failure(ProblemException.notFound("Message " + id));
            case NOT_CANCELLABLE -> Uni.createFrom().failure(new ProblemException(Problem.of(409, "not-cancellable",
                    "Not cancellable", "The message was already claimed for sending: it can no longer be taken back")
                    .withInstance("/v1/messages/" + id)));
        });
    }

    /**
     * The receipts are read before the message, its charges after it (each statement has its own snapshot): each
     * receipt moved the message in the transaction that stored it, and each charge was written with the move it pays
     * for, so the message is never behind its receipts nor ahead of its charges. Read the other way round, a failed
     * receipt could be listed beside a SUBMITTED status, or a SUBMITTED message show no cost (seen in a test run).
     */
    @WithSession
    public Uni<Result> get(UUID id, UUID consumerId) {
        return receiptsOf(id).chain(lines -> messages.find("id = ?1 and consumerId = ?2", id, consumerId).firstResult()
                .onItem().ifNull().failWith(() -> ProblemException.notFound("Message " + id))
                .chain(message -> withJourney(message, false))
                .chain(result -> ledger.costsOf(List.of(id)).map(costs ->
                        new Result(result.message(), result.journey(), lines, costs.get(id), false))));
    }

    /** The receipts applied to a message, in the order they arrived. */
    private Uni<List<ReceiptLine>> receiptsOf(UUID messageId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select provider, status, code, message, cost_amount, cost_currency, received_at, sent_at, provider_timestamp,
                    zalo_error, zalo_message, zalo_sys_msg, zalo_cus_msg, zalo_msg_id, zalo_sent_at, zalo_sending_mode, unreadable, sms
                from receipts
                where message_ref = :id order by received_at, id""", Object[].class)
                .setParameter("id", messageId)
                .getResultList())
                .map(rows -> rows.stream().map(MessageService::receiptLine).toList());
    }

    private static ReceiptLine receiptLine(Object[] row) {
        boolean zaloAnswered = row[9] != null || row[10] != null || row[11] != null || row[12] != null || row[13] != null
                || row[14] != null || row[15] != null;
        return new ReceiptLine((String) row[0], (String) row[1], (Integer) row[2], (String) row[3],
                (java.math.BigDecimal) row[4], (String) row[5], Timestamps.instantOf(row[6]), Timestamps.instantOf(row[7]),
                Timestamps.instantOf(row[8]), zaloAnswered ? new ZaloLine((Integer) row[9], (String) row[10], (String) row[11],
                        (String) row[12], (String) row[13], Timestamps.instantOf(row[14]), (String) row[15]) : null,
                (String) row[16], Boolean.TRUE.equals(row[17]));
    }

    @WithSession
    public Uni<List<Result>> list(MessageFilter filter, UUID before, int size) {
        return messages.page(filter, before, size).chain(page -> {
            List<UUID> journeyIds = page.stream().map(Message::journeyRef).filter(Objects::nonNull).distinct().toList();
            Uni<Map<UUID, Journey>> linked = journeyIds.isEmpty() ? Uni.createFrom().item(Map.of())
                    : journeys.list("id in ?1", journeyIds)
                            .map(found -> found.stream().collect(Collectors.toMap(Journey::id, Function.identity())));
            Uni<Map<UUID, Ledger.MessageCost>> costs = ledger.costsOf(page.stream().map(Message::id).toList());
            return linked.chain(byId -> costs.map(costOf -> page.stream()
                    .map(message -> new Result(message, message.journeyRef() == null ? null : byId.get(message.journeyRef()),
                            List.of(), costOf.get(message.id()), false)).toList()));
        });
    }

    private Uni<Journey> linkedJourney(UUID consumerId, NewMessage request) {
        if (request.journeyId() == null) {
            return Uni.createFrom().nullItem();
        }
        return journeys.findById(request.journeyId()).map(journey -> {
            if (journey == null || !journey.consumerId().equals(consumerId)) {
                throw ProblemException.invalid("journey_id", "no journey with this id");
            }
            JourneyUse.check(journey, request.oaId(), request.phone(), request.sendAt(), clock.instant());
            return journey;
        });
    }

    private Uni<Result> persist(Message message, Journey journey) {
        return messages.persist(message).map(saved -> new Result(saved, journey, false));
    }

    private Uni<Result> replay(IdempotencyKeys.Holder holder) {
        if (!holder.sameRequest()) {
            return Uni.createFrom().failure(IdempotencyKeys.reused());
        }
        return messages.findById(holder.resourceId()).chain(message -> {
            if (message == null) {
                // The key's first request has not committed its message yet.
                return Uni.createFrom().failure(IdempotencyKeys.inFlight());
            }
            return withJourney(message, true);
        });
    }

    private Uni<Result> withJourney(Message message, boolean replayed) {
        if (message.journeyRef() == null) {
            return Uni.createFrom().item(new Result(message, null, replayed));
        }
        return journeys.findById(message.journeyRef()).map(journey -> new Result(message, journey, replayed));
    }
}
