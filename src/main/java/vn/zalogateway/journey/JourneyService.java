package vn.zalogateway.journey;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.ProviderReferencesKnown;
import vn.zalogateway.common.PhoneNumbers;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.idempotency.IdempotencyKey;
import vn.zalogateway.common.idempotency.IdempotencyKeys;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.ledger.Ledger;
import vn.zalogateway.provider.ProviderException;
import vn.zalogateway.provider.etelecom.EtelecomClient;

/**
 * Creates journey tokens: save the attempt, call eTelecom with no transaction open, record the
 * outcome. Each step is its own short transaction, so a slow eTelecom never holds a connection.
 */
@ApplicationScoped
public class JourneyService {

    /** A journey and whether it answers an earlier request with the same Idempotency-Key. */
    public record Result(Journey journey, boolean replayed) {
    }

    private final JourneyRepository journeys;
    private final Ledger ledger;
    private final IdempotencyKeys idempotencyKeys;
    private final EtelecomClient etelecom;
    private final GatewayConfig config;
    private final Clock clock;
    private final Event<ProviderReferencesKnown> referencesKnown;

    JourneyService(JourneyRepository journeys, IdempotencyKeys idempotencyKeys, EtelecomClient etelecom, Ledger ledger,
            GatewayConfig config, Event<ProviderReferencesKnown> referencesKnown) {
        this.journeys = journeys;
        this.ledger = ledger;
        this.idempotencyKeys = idempotencyKeys;
        this.etelecom = etelecom;
        this.config = config;
        this.clock = Clock.systemUTC();
        this.referencesKnown = referencesKnown;
    }

    /**
     * Who may make a new attempt under a key whose earlier attempt's outcome is unknown (eTelecom may have made a token).
     */
    private enum Repeat {
        /** A consumer retrying POST /v1/journeys: its own choice, the earlier outcome shown to it (502, 504). */
        AFTER_UNKNOWN_OUTCOME,
        /** The message pipeline retrying by itself: only after an attempt that never reached eTelecom. */
        ONLY_AFTER_NOT_REACHED
    }

    /**
     * The key's earlier attempt is still out (PENDING within gateway.idempotency.in-flight-lease): its outcome is
     * known by {@code judgedAt} at the latest, recorded by its request or, past the lease, given up.
     */
    public static final class AttemptInFlight extends RuntimeException {
        private final transient Instant judgedAt;

        AttemptInFlight(Instant judgedAt) {
            super("the journey's earlier attempt is still waiting for eTelecom", null, false, false);
            this.judgedAt = judgedAt;
        }

        public Instant judgedAt() {
            return judgedAt;
        }
    }

    /** @param key null when the consumer sent no Idempotency-Key */
    public Uni<Result> create(UUID consumerId, NewJourney request, IdempotencyKey key) {
        return create(consumerId, request, key, Repeat.AFTER_UNKNOWN_OUTCOME);
    }

    /**
     * A message's own token, made at most once whatever happens to the gateway: like {@link #create}, except that an
     * earlier attempt under the key is never made again unless it certainly never reached eTelecom (eTelecom documents
     * no dropping of a repeat, and a second token, once used, is a second charge). Such an attempt is returned as it
     * stands (one left PENDING past its lease by a gateway that stopped is given up first); one still in flight fails
     * with {@link AttemptInFlight}.
     */
    public Uni<Result> createOnce(UUID consumerId, NewJourney request, IdempotencyKey key) {
        return create(consumerId, request, key, Repeat.ONLY_AFTER_NOT_REACHED);
    }

    private Uni<Result> create(UUID consumerId, NewJourney request, IdempotencyKey key, Repeat repeat) {
        Journey attempt = Journey.attempt(Ids.next(), consumerId, request, clock.instant());
        return Panache.withTransaction(() -> start(attempt, key, repeat))
                .chain(started -> started.replayed() ? Uni.createFrom().item(started) : callEtelecom(started.journey()));
    }

    /** One message a journey's token carries (or is to carry), as the journey's read-back lists it. */
    public record MessageLine(UUID id, String kind, String status, Integer templateId, String providerMessageId,
            java.math.BigDecimal feeToken, Instant createdAt) {
    }

    /** A receipt about the journey's token, as it came: its status, NXCloud's app and time, and what it cost. */
    public record ReceiptLine(String status, Integer code, String message, String appId, Instant providerTime,
            java.math.BigDecimal costAmount, String costCurrency, Instant receivedAt) {
    }

    /** A journey, the messages linked to it and the receipts about its token, oldest first. */
    public record Detail(Journey journey, List<MessageLine> messages, List<ReceiptLine> receipts) {
    }

    /** Listed with a journey at most; a journey's messages are a handful (one per step of an order). */
    public static final int MOST_MESSAGES_LISTED = 100;

    /**
     * A journey with its messages (those sent with its token, and those waiting to be; the token's charge from the
     * ledger) and the receipts about its token.
     */
    @WithSession
    public Uni<Detail> detail(UUID id, UUID consumerId) {
        return journeys.findOwn(id, consumerId).onItem().ifNull().failWith(() -> ProblemException.notFound("Journey " + id))
                .chain(journey -> Panache.getSession().chain(session -> session.createNativeQuery("""
                        select id, kind, status, template_id, provider_message_id, created_at from messages
                        where journey_ref = :id and consumer_id = :consumer order by id limit :most""", Object[].class)
                        .setParameter("id", id).setParameter("consumer", consumerId).setParameter("most", MOST_MESSAGES_LISTED)
                        .getResultList()
                        .chain(rows -> session.createNativeQuery("""
                                select status, code, message, app_id, provider_timestamp, cost_amount, cost_currency, received_at
                                from receipts where journey_ref = :id order by received_at, id limit :most""", Object[].class)
                                .setParameter("id", id).setParameter("most", MOST_MESSAGES_LISTED).getResultList()
                                .chain(receipts -> ledger.costsOf(rows.stream().map(row -> (UUID) row[0]).toList()).map(costs ->
                                        new Detail(journey, rows.stream().map(row -> {
                                            Ledger.MessageCost cost = costs.get((UUID) row[0]);
                                            return new MessageLine((UUID) row[0], (String) row[1], (String) row[2], (Integer) row[3],
                                                    (String) row[4], cost == null ? null : cost.feeToken(),
                                                    vn.zalogateway.common.Timestamps.instantOf(row[5]));
                                        }).toList(), receipts.stream().map(receipt -> new ReceiptLine((String) receipt[0],
                                                (Integer) receipt[1], (String) receipt[2], (String) receipt[3],
                                                vn.zalogateway.common.Timestamps.instantOf(receipt[4]), (java.math.BigDecimal) receipt[5],
                                                (String) receipt[6], vn.zalogateway.common.Timestamps.instantOf(receipt[7]))).toList()))))));
    }

    @WithSession
    public Uni<List<Journey>> list(JourneyFilter filter, UUID before, int size) {
        return journeys.page(filter, before, size, clock.instant());
    }


    private Uni<Result> start(Journey attempt, IdempotencyKey key, Repeat repeat) {
        if (key == null) {
            return journeys.persist(attempt).map(saved -> new Result(saved, false));
        }
        return idempotencyKeys.claim(key, attempt.id(), attempt.createdAt())
                .chain(holder -> holder.isEmpty()
                        ? journeys.persist(attempt).map(saved -> new Result(saved, false))
                        : resume(holder.get(), attempt, key, repeat));
    }

    /** The key was used before: replay, refuse, or let this request take over a dead attempt. */
    private Uni<Result> resume(IdempotencyKeys.Holder holder, Journey attempt, IdempotencyKey key, Repeat repeat) {
        if (!holder.sameRequest()) {
            return Uni.createFrom().failure(IdempotencyKeys.reused());
        }
        Instant now = attempt.createdAt();
        Duration lease = config.idempotency().inFlightLease();
        return journeys.findById(holder.resourceId()).chain(previous -> {
            if (previous.isPending() && !previous.isStale(now, lease)) {
                return Uni.createFrom().failure(repeat == Repeat.AFTER_UNKNOWN_OUTCOME ? IdempotencyKeys.inFlight()
                        : new AttemptInFlight(previous.updatedAt().plus(lease)));
            }
            if (repeat == Repeat.ONLY_AFTER_NOT_REACHED && !previous.certainlyNotReached()) {
                if (previous.isPending()) {
                    previous.abandon(now, "The gateway stopped before eTelecom answered; the message's next attempt gave it "
                            + "up and made no second token");
                }
                return Uni.createFrom().item(new Result(previous, true));
            }
            if (!previous.isPending() && !previous.mayBeRetried()) {
                return Uni.createFrom().item(new Result(previous, true));
            }
            if (previous.isPending()) {
                previous.abandon(now, "The gateway stopped before eTelecom answered; a later request took over");
            }
            return idempotencyKeys.handOver(key, previous.id(), attempt.id())
                    .chain(handedOver -> handedOver
                            ? journeys.persist(attempt).map(saved -> new Result(saved, false))
                            : Uni.createFrom().failure(IdempotencyKeys.inFlight()));
        });
    }

    private Uni<Result> callEtelecom(Journey attempt) {
        return etelecom.createJourney(attempt.oaId(), attempt.phone(), attempt.tokenType())
                .map(created -> (Consumer<Journey>) journey -> {
                    if (!journey.recordCreated(created, clock.instant())) {
                        Log.warnf("Journey %s was given up before eTelecom answered; its token %s is not used",
                                journey.id(), created.journeyId());
                    }
                })
                .onFailure().recoverWithItem(failure -> {
                    ProviderException classified = ProviderException.classify(EtelecomClient.PROVIDER, failure);
                    Log.infof("Journey %s for %s failed: %s", attempt.id(), PhoneNumbers.mask(attempt.phone()),
                            classified.getMessage());
                    return journey -> journey.recordFailure(classified, clock.instant());
                })
                .chain(outcome -> Panache.withTransaction(() -> journeys.findById(attempt.id(), LockModeType.PESSIMISTIC_WRITE)
                        .invoke(outcome)))
                .invoke(recorded -> {
                    if (recorded.journeyId() != null) {
                        referencesKnown.fire(new ProviderReferencesKnown());
                    }
                })
                .map(recorded -> new Result(recorded, false));
    }
}
