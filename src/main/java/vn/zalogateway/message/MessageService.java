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
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.Timestamps;
import vn.zalogateway.common.idempotency.IdempotencyKey;
import vn.zalogateway.common.idempotency.IdempotencyKeys;
import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;
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

    MessageService(MessageRepository messages, JourneyRepository journeys, Ledger ledger, MessageLifecycle lifecycle,
            IdempotencyKeys idempotencyKeys, Dispatcher dispatcher) {
        this.lifecycle = lifecycle;
        this.messages = messages;
        this.journeys = journeys;
        this.ledger = ledger;
        this.idempotencyKeys = idempotencyKeys;
        this.dispatcher = dispatcher;
    }

    /** @param key null when the consumer sent no Idempotency-Key */
    public Uni<Result> accept(UUID consumerId, NewMessage request, IdempotencyKey key) {
        Message message = Message.accept(Ids.next(), consumerId, request, clock.instant());
        Uni<Result> accepted = key == null && request.journeyId() == null
                // One INSERT commits by itself: no transaction, a third of the round trips.
                ? Panache.withSession(() -> messages.persistAndFlush(message).map(saved -> new Result(saved, null, false)))
                : Panache.withTransaction(() -> linkedJourney(consumerId, request)
                        .chain(journey -> key == null ? persist(message, journey)
                                : idempotencyKeys.claim(key, message.id(), message.createdAt())
                                        .chain(holder -> holder.isEmpty() ? persist(message, journey) : replay(holder.get()))));
        return accepted
                .invoke(result -> {
                    if (!result.replayed()) {
                        dispatcher.kick();
                    }
                });
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
     * The receipts and charges are read before the message: each receipt moved the message in the transaction
     * that stored it, so a message read after its receipts is never behind them. Read the other way round,
     * each statement with its own snapshot, a failed receipt could be listed beside a SUBMITTED status.
     */
    @WithSession
    public Uni<Result> get(UUID id, UUID consumerId) {
        return receiptsOf(id).chain(lines -> ledger.costsOf(List.of(id)).chain(costs ->
                messages.find("id = ?1 and consumerId = ?2", id, consumerId).firstResult()
                        .onItem().ifNull().failWith(() -> ProblemException.notFound("Message " + id))
                        .chain(message -> withJourney(message, false))
                        .map(result -> new Result(result.message(), result.journey(), lines, costs.get(id), false))));
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
