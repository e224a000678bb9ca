package vn.zalogateway.message;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.common.SendWindow;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.journey.JourneyStatus;
import vn.zalogateway.ledger.Charge;
import vn.zalogateway.ledger.ChargeItem;
import vn.zalogateway.ledger.Ledger;
import vn.zalogateway.ledger.QuotaReading;
import vn.zalogateway.provider.ErrorClass;

/**
 * A message's life after it was accepted, and the only writer of {@code messages} after the insert: the
 * outbox (claims, submissions, failures, retries), the reports receipts bring, the look-up schedule, the
 * wait that ends in UNCONFIRMED, and the purge. Every move follows {@link MessageTransitions} and is a guarded
 * statement: an outbox outcome is written only under the claim that holds the message (its token), so a
 * dispatcher whose lease ran out cannot overwrite another's; a report is applied to rows its caller locked in
 * its own transaction (the caller's connection), so a receipt, the move it causes and the status callback
 * the move writes commit together. Plain SQL on the reactive client.
 */
@ApplicationScoped
public class MessageLifecycle {

    /**
     * A message claimed for one dispatch attempt; {@code claim} is the token of the claim that holds it, and
     * every outcome is written under it. A linked journey comes with what sending needs of it: eTelecom's
     * journey id, its status and expiry. {@code window} is its send window (null: any time), {@code heldUntil}
     * when its OA's queue is held for quota (null: not held), {@code fallback} whether it asked for an SMS.
     * {@code errorCode} is what the last attempt left ({@link #SEND_STARTED}: a call that may have gone, no outcome written).
     */
    public record Claimed(UUID id, UUID claim, UUID consumerId, MessageKind kind, long oaId, String userId, String zaloPayload,
            boolean sandbox, String phone, Integer templateId, String templateData, UUID journeyRef, String journeyPhone,
            String journeyTokenType, int attempts, LinkedJourney journey, MessageStatus status, boolean fallback,
            SendWindow window, Instant heldUntil, String errorCode) {

        /** The message's state as the outbox holds it, for {@link MessageState}'s rules. */
        MessageState state() {
            return MessageState.waiting(status, fallback);
        }

        /**
         * When the message may go once its OA's hold ends at {@code until}: then, or its send window's next opening
         * after it (a hold ends at midnight, which most windows leave out: due then, the outbox would claim it only to
         * give it back, and a cancel in that moment would find it claimed).
         */
        Instant dueAfterHold(Instant until) {
            return window == null ? until : window.nextOpening(until);
        }
    }

    /** What the outbox knows of a message's journey when it is claimed. */
    public record LinkedJourney(String providerJourneyId, JourneyStatus status, Instant expiresAt) {
    }

    /**
     * The provider took a message: its reference (eSMS's SMSID, or eTelecom's msg_id; null when eSMS reported
     * a duplicate RequestId without one, and its callback then brings it), and eTelecom's fees when it
     * charged any (recorded in the ledger with the submission). A known reference is kept.
     */
    public record Submission(UUID id, UUID claim, String reference, BigDecimal feeMain, BigDecimal feeToken, String note,
            String answer) {

        Submission(UUID id, UUID claim, String reference) {
            this(id, claim, reference, null, null, null, null);
        }

        boolean charged() {
            return feeMain != null || feeToken != null && feeToken.signum() > 0;
        }
    }

    /** An SMS fallback claimed from its outbox for one attempt at eSMS. */
    public record ClaimedSms(UUID id, UUID claim, String phone, String text, String brandname, boolean unicode, boolean sandbox,
            int attempts, SendWindow window) {
    }

    /** A provider's error, as it came, with its class. */
    public record Error(String code, String message, String errorClass) {
    }

    /**
     * A message locked for the reports about it: its state ({@link MessageState}), the ids providers gave it, and what
     * the ledger needs to know of it.
     */
    public record Locked(UUID id, MessageKind kind, MessageState state, String providerMessageId, String nxcloudRequestId,
            String zaloMsgId, String smsProviderMessageId, UUID consumerId, long oaId, UUID journeyRef) {

        public Locked(UUID id, MessageKind kind, MessageStatus status, String providerMessageId, String nxcloudRequestId,
                String zaloMsgId, UUID consumerId, long oaId, UUID journeyRef) {
            this(id, kind, new MessageState(status, attempt(status), null, null, false), providerMessageId, nxcloudRequestId,
                    zaloMsgId, null, consumerId, oaId, journeyRef);
        }

        public MessageStatus status() {
            return state.status();
        }

        private static AttemptStatus attempt(MessageStatus status) {
            return switch (status) {
                case ACCEPTED, SCHEDULED, CANCELLED -> null;
                default -> AttemptStatus.valueOf(status.name());
            };
        }
    }

    /**
     * What happened to a locked message in one transaction: its state after (by {@link MessageState}), the error of
     * the Zalo attempt or of the SMS that failed it, and the ids it learned: the Zalo provider's reference (a message
     * whose SMSID eSMS never told, named by our id in a callback), NXCloud's requestId, Zalo's message id, the SMS's SMSID.
     */
    public record Move(UUID id, MessageState state, Error zaloError, Error smsError, String learnedReference,
            String learnedNxcloudRequestId, String learnedZaloMsgId, String learnedSmsReference) {

        public MessageStatus status() {
            return state.status();
        }
    }

    /** One look, due now, at a message the reconciler may ask eSMS about. */
    public record Due(UUID id, long oaId, String smsId, int looks) {
    }

    /** What a cancel found: the message cancelled now or before, one already on its way, or none of the consumer's. */
    public enum Cancelled {
        NOW, BEFORE, NOT_CANCELLABLE, NOT_FOUND
    }

    private static final String WAITING = "status in ('ACCEPTED', 'SCHEDULED')";

    private final Pool pool;
    private final Ledger ledger;
    /** When a submitted message is first looked up if no callback came (the reconciler's schedule). */
    private final Duration firstLook;

    MessageLifecycle(Pool pool, Ledger ledger, GatewayConfig config) {
        this.pool = pool;
        this.ledger = ledger;
        this.firstLook = config.receipts().reconcileAfter();
    }

    // --- the outbox --------------------------------------------------------------------------------------

    /** The columns a message's state is read from, for {@link #state(Row)}. */
    private static final String STATE = "m.status, m.zalo_status, m.sms_status, m.sms_reason, m.fallback_text is not null as fallback";

    static final String CLAIM = """
            with due as (
                select id, journey_ref from messages
                where %s and due_at <= now() and (lease_until is null or lease_until < now()) and kind = any($4)
                order by due_at
                limit $1
                for update skip locked)
            update messages m
            set lease_until = now() + $2 * interval '1 millisecond', attempts = m.attempts + 1, updated_at = now(),
                claim = $3
            from due left join journeys j on j.id = due.journey_ref
            where m.id = due.id
            returning m.id, m.consumer_id, m.kind, m.oa_id, m.user_id, m.zalo_payload, m.sandbox, m.phone, m.template_id, m.template_data,
                      m.journey_ref, m.journey_phone, m.journey_token_type, m.attempts, j.journey_id as provider_journey_id,
                      j.status as journey_status, j.expires_at as journey_expires_at, m.status,
                      m.fallback_text is not null as fallback, m.window_from, m.window_to, oa_held_until(m.oa_id) as held_until,
                      m.error_code
            """.formatted(WAITING);

    /**
     * Claims due messages of these kinds under a new token ({@code claim}): outcomes written under another
     * token change nothing. A kind whose provider is failing is left out, so its messages wait without churn. Each
     * comes with its send window and its OA's hold ({@code oa_held_until}), which the dispatcher honours before
     * anything is sent.
     */
    Uni<List<Claimed>> claim(int batchSize, Duration lease, UUID claim, Set<MessageKind> kinds) {
        if (kinds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] kindNames = kinds.stream().map(MessageKind::wireName).toArray(String[]::new);
        return pool.preparedQuery(CLAIM)
                .execute(Tuple.of(batchSize, lease.toMillis(), claim, kindNames))
                .map(rows -> {
                    List<Claimed> claimed = new ArrayList<>(rows.size());
                    for (Row row : rows) {
                        claimed.add(claimed(row, claim));
                    }
                    return claimed;
                });
    }

    private static Claimed claimed(Row row, UUID claim) {
        String journeyStatus = row.getString("journey_status");
        LinkedJourney journey = journeyStatus == null ? null : new LinkedJourney(row.getString("provider_journey_id"),
                JourneyStatus.valueOf(journeyStatus), instant(row, "journey_expires_at"));
        return new Claimed(row.getUUID("id"), claim, row.getUUID("consumer_id"), MessageKind.fromWireName(row.getString("kind")).orElseThrow(),
                row.getLong("oa_id"), row.getString("user_id"), row.getString("zalo_payload"), row.getBoolean("sandbox"),
                row.getString("phone"), row.getInteger("template_id"), row.getString("template_data"),
                row.getUUID("journey_ref"), row.getString("journey_phone"), row.getString("journey_token_type"),
                row.getInteger("attempts"), journey, MessageStatus.valueOf(row.getString("status")), row.getBoolean("fallback"),
                window(row), instant(row, "held_until"), row.getString("error_code"));
    }

    /** The message's send window, when it has one. */
    private static SendWindow window(Row row) {
        LocalTime from = row.getLocalTime("window_from");
        LocalTime to = row.getLocalTime("window_to");
        return from == null || to == null ? null : new SendWindow(from, to);
    }

    /**
     * Records many submissions in one statement; the number recorded (a lost claim records nothing). The fees
     * eTelecom charged go to the ledger in the same transaction. A submission never decides a fallback
     * ({@link MessageState#zaloSubmitted()}): it only starts the clock of the message's {@code after}.
     */
    Uni<Integer> submitted(List<Submission> submissions) {
        if (submissions.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        if (submissions.stream().noneMatch(Submission::charged)) {
            return submitted(pool, submissions).map(List::size);
        }
        return pool.withTransaction(connection -> submitted(connection, submissions)
                .call(recorded -> ledger.record(connection, fees(submissions, recorded)))
                .map(List::size));
    }

    /** The submissions written: each message's consumer, OA and journey, for the ledger. */
    private record Recorded(UUID id, UUID consumerId, long oaId, UUID journeyRef) {
    }

    /**
     * Submissions recorded under their claims, by primary key (the ids are an array the table is looked up by).
     * Rows are locked in id order, as renew locks them: two statements of one round never deadlock. Only eSMS can be
     * asked about a message it took (GetCallback), and not about a sandbox message (it keeps none): the next look.
     */
    static final String SUBMITTED = """
            with s as (select * from unnest($1::uuid[], $2::text[], $3::uuid[], $5::text[], $6::text[])
                    as s (id, reference, claim, note, answer)),
                locked as (select m.id from messages m join s on m.id = s.id and m.claim = s.claim
                    where m.id = any($1::uuid[]) and m.%1$s order by m.id for update of m)
            update messages m set status = 'SUBMITTED', zalo_status = 'SUBMITTED', channel = 'zalo',
                provider_message_id = coalesce(m.provider_message_id, s.reference),
                zalo_msg_id = coalesce(m.zalo_msg_id, case when m.kind = 'zns_journey' then s.reference end),
                provider_note = coalesce(s.note, m.provider_note), provider_answer = coalesce(s.answer, m.provider_answer),
                submitted_at = now(),
                next_look_at = case when m.kind = 'transaction' and not m.sandbox then now() + $4 * interval '1 millisecond' end,
                fallback_due_at = now() + m.fallback_after_ms * interval '1 millisecond',
                due_at = null, lease_until = null, held_until = null, error_code = null, error_message = null, updated_at = now()
            from s
            where m.id = any($1::uuid[]) and m.id = s.id and m.id in (select id from locked) and m.claim = s.claim and m.%1$s
            returning m.id, m.consumer_id, m.oa_id, m.journey_ref""".formatted(WAITING);

    private Uni<List<Recorded>> submitted(SqlClient client, List<Submission> submissions) {
        UUID[] ids = submissions.stream().map(Submission::id).toArray(UUID[]::new);
        String[] references = submissions.stream().map(Submission::reference).toArray(String[]::new);
        UUID[] claims = submissions.stream().map(Submission::claim).toArray(UUID[]::new);
        String[] notes = submissions.stream().map(Submission::note).toArray(String[]::new);
        String[] answers = submissions.stream().map(Submission::answer).toArray(String[]::new);
        return client.preparedQuery(SUBMITTED)
                .execute(Tuple.from(List.of(ids, references, claims, firstLook.toMillis(), notes, answers)))
                .map(rows -> {
                    List<Recorded> recorded = new ArrayList<>(rows.size());
                    rows.forEach(row -> recorded.add(new Recorded(row.getUUID("id"), row.getUUID("consumer_id"), row.getLong("oa_id"),
                            row.getUUID("journey_ref"))));
                    return recorded;
                });
    }

    /** eTelecom's fees of the submissions recorded: the message's, and its token's (charged with its first message). */
    private static List<Charge> fees(List<Submission> submissions, List<Recorded> recorded) {
        Map<UUID, Submission> byId = new HashMap<>();
        submissions.forEach(submission -> byId.put(submission.id(), submission));
        List<Charge> charges = new ArrayList<>();
        for (Recorded message : recorded) {
            Submission submission = byId.get(message.id());
            if (submission.feeMain() != null) {
                charges.add(new Charge(message.consumerId(), message.oaId(), message.id(), ChargeItem.MESSAGE, message.id(),
                        "etelecom", Charge.Source.SEND_ANSWER, "VND", submission.feeMain(), true));
            }
            if (submission.feeToken() != null && submission.feeToken().signum() > 0 && message.journeyRef() != null) {
                charges.add(new Charge(message.consumerId(), message.oaId(), message.journeyRef(), ChargeItem.JOURNEY_TOKEN,
                        message.id(), "etelecom", Charge.Source.SEND_ANSWER, "VND", submission.feeToken(), true));
            }
        }
        return charges;
    }

    /**
     * The Zalo attempt ended before any provider took it (refused at submission, retries exhausted, a journey that
     * cannot carry it): FAILED, or, for a message that asked for one, its SMS decided now ({@link MessageState#zaloFailed()}).
     */
    Uni<Integer> zaloFailed(Claimed message, Error error, String answer) {
        return decided(message, message.state().zaloFailed(), error, answer);
    }

    /** The OA's queue is held for quota: the message waits until {@code until}, or its SMS goes at once. */
    Uni<Integer> held(Claimed message, Instant until) {
        MessageState state = message.state().quotaHeld();
        if (state.sms() != null) {
            return decided(message, state, null, null);
        }
        return updated("""
                update messages set due_at = $2, held_until = $3, lease_until = null, attempts = attempts - 1, updated_at = now()
                where id = $1 and claim = $4 and %s""".formatted(WAITING),
                Tuple.of(message.id(), utc(message.dueAfterHold(until)), utc(until), message.claim()));
    }

    /**
     * The provider said the OA's quota is spent (eSMS 801/802): the ledger notes it (quota 0, now), which holds the OA's
     * queue until the daily reset ({@code oa_held_until}); this message waits with it (until its window's next opening
     * after the hold), or its SMS goes at once. A newer reading with quota left (another replica's) wins: then the OA is
     * not held and the message is due now, never left without a due time.
     */
    Uni<Integer> quotaSpent(Claimed message) {
        MessageState state = message.state().quotaHeld();
        Instant now = Instant.now();
        return pool.withTransaction(connection -> ledger.noteQuotas(connection, List.of(new QuotaReading(message.oaId(), 0, null,
                now, QuotaReading.Source.PROVIDER)))
                .chain(() -> state.sms() != null ? decided(connection, message, state, null, null)
                        : connection.preparedQuery("select oa_held_until($1) as until").execute(Tuple.of(message.oaId()))
                                .map(rows -> instant(rows.iterator().next(), "until"))
                                .chain(until -> connection.preparedQuery("""
                                        update messages set due_at = $2, held_until = $3, lease_until = null,
                                            attempts = attempts - 1, updated_at = now()
                                        where id = $1 and claim = $4 and %s""".formatted(WAITING))
                                        .execute(Tuple.of(message.id(), utc(message.dueAfterHold(until == null ? now : until)),
                                                utc(until), message.claim())))
                                .map(rows -> rows.rowCount())));
    }

    /** Outside its send window: the message waits for the window's next opening (no attempt was made). */
    Uni<Integer> outsideWindow(Claimed message, Instant opening) {
        return updated("""
                update messages set due_at = $2, lease_until = null, attempts = attempts - 1, updated_at = now()
                where id = $1 and claim = $3 and %s""".formatted(WAITING), Tuple.of(message.id(), utc(opening), message.claim()));
    }

    /** Writes a state the dispatcher decided for a claimed message, under its claim; the message leaves the Zalo outbox. */
    private Uni<Integer> decided(Claimed message, MessageState state, Error error, String answer) {
        return decided(pool, message, state, error, answer);
    }

    private static Uni<Integer> decided(SqlClient client, Claimed message, MessageState state, Error error, String answer) {
        return client.preparedQuery("""
                update messages set status = $3, zalo_status = $4, sms_status = $5::varchar, sms_reason = $6, channel = $7,
                    sms_due_at = case when $5::varchar = 'PENDING' then now() end,
                    error_code = coalesce($8, error_code), error_message = coalesce($9, error_message),
                    error_class = coalesce($10, error_class), provider_answer = coalesce($11, provider_answer),
                    due_at = null, lease_until = null, held_until = null, updated_at = now()
                where id = $1 and claim = $2 and %s""".formatted(WAITING))
                .execute(Tuple.from(Arrays.asList(message.id(), message.claim(), state.status().name(), name(state.zalo()),
                        name(state.sms()), state.reason() == null ? null : state.reason().wireName(), state.channel(),
                        error == null ? null : error.code(), error == null ? null : clip(error.message()),
                        error == null ? null : error.errorClass(), answer)))
                .map(rows -> rows.rowCount());
    }

    /**
     * A send that may have reached a provider that documents no dropping of a repeat (eTelecom): never sent again.
     * It waits SUBMITTED, with no reference and the reason in its error, for a receipt or the wait (UNCONFIRMED).
     */
    Uni<Integer> outcomeUnknown(UUID id, UUID claim, String code, String message, String answer) {
        return updated("""
                update messages set status = 'SUBMITTED', zalo_status = 'SUBMITTED', channel = 'zalo', submitted_at = now(),
                    fallback_due_at = now() + fallback_after_ms * interval '1 millisecond',
                    error_code = $2, error_message = $3, provider_answer = coalesce($5, provider_answer),
                    due_at = null, lease_until = null, next_look_at = null, updated_at = now()
                where id = $1 and claim = $4 and %s""".formatted(WAITING),
                Tuple.from(Arrays.asList(id, code, clip(message), claim, answer)));
    }

    /**
     * Written under the claim just before a call that a provider does not deduplicate (eTelecom's SendZNSJourney): if
     * the call's outcome is never written (a crash, a lost write), the next claim finds this and does not call again.
     * 0 when the claim was lost (then nothing may be sent).
     */
    Uni<Integer> sendStarted(UUID id, UUID claim) {
        return updated("""
                update messages set error_code = '%s', error_message = 'SendZNSJourney called; no outcome recorded yet',
                    updated_at = now()
                where id = $1 and claim = $2 and %s""".formatted(SEND_STARTED, WAITING), Tuple.of(id, claim));
    }

    /** {@link #sendStarted}'s mark: a call began under a claim that wrote no outcome. */
    static final String SEND_STARTED = "send_started";

    /** Back to the outbox at {@code due}; {@code attempted} false gives back the attempt the claim counted (no call was made). */
    Uni<Integer> retryLater(UUID id, UUID claim, Instant due, String code, String message, boolean attempted, String answer) {
        return updated("""
                update messages set due_at = $2, lease_until = null,
                    error_code = $3, error_message = $4, attempts = attempts - $5, provider_answer = coalesce($7, provider_answer),
                    updated_at = now()
                where id = $1 and claim = $6 and %s""".formatted(WAITING),
                Tuple.from(Arrays.asList(id, utc(due), code, clip(message), attempted ? 0 : 1, claim, answer)));
    }

    /** Extends the lease of messages still in flight under this claim, so that it cannot run out under a live dispatcher. */
    Uni<Integer> renew(List<UUID> ids, UUID claim, Duration lease) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        return updated("""
                with locked as (select id from messages where id = any($1) and claim = $2 and %1$s order by id for update)
                update messages set lease_until = now() + $3 * interval '1 millisecond'
                where id in (select id from locked) and claim = $2 and %1$s""".formatted(WAITING),
                Tuple.of(ids.toArray(UUID[]::new), claim, lease.toMillis()));
    }

    Uni<Void> linkJourney(UUID id, UUID journey) {
        return updated("update messages set journey_ref = $2, updated_at = now() where id = $1", Tuple.of(id, journey))
                .replaceWithVoid();
    }

    // --- the SMS fallback's outbox --------------------------------------------------------------------------

    static final String CLAIM_SMS = """
            with due as (
                select id from messages
                where sms_status = 'PENDING' and sms_due_at <= now() and (sms_lease_until is null or sms_lease_until < now())
                order by sms_due_at limit $1
                for update skip locked)
            update messages m set sms_lease_until = now() + $2 * interval '1 millisecond', sms_attempts = m.sms_attempts + 1,
                sms_claim = $3, updated_at = now()
            from due where m.id = due.id
            returning m.id, m.fallback_phone, m.fallback_text, m.fallback_brandname, m.fallback_unicode, m.sandbox, m.sms_attempts,
                m.window_from, m.window_to""";

    /** Claims SMS fallbacks due for eSMS under a new token, as the Zalo outbox claims its messages. */
    Uni<List<ClaimedSms>> claimSms(int batchSize, Duration lease, UUID claim) {
        return pool.preparedQuery(CLAIM_SMS)
                .execute(Tuple.of(batchSize, lease.toMillis(), claim))
                .map(rows -> {
                    List<ClaimedSms> claimed = new ArrayList<>(rows.size());
                    rows.forEach(row -> claimed.add(new ClaimedSms(row.getUUID("id"), claim, row.getString("fallback_phone"),
                            row.getString("fallback_text"), row.getString("fallback_brandname"),
                            Boolean.TRUE.equals(row.getBoolean("fallback_unicode")), row.getBoolean("sandbox"),
                            row.getInteger("sms_attempts"), window(row))));
                    return claimed;
                });
    }

    static final String SMS_SUBMITTED = """
            update messages set sms_status = 'SUBMITTED', sms_provider_message_id = coalesce(sms_provider_message_id, $3),
                sms_submitted_at = now(), sms_lease_until = null, sms_error_code = null, sms_error_message = null,
                provider_note = coalesce($4, provider_note), updated_at = now()
            where id = $1 and sms_claim = $2 and sms_status = 'PENDING'""";

    /**
     * eSMS took the SMS: its SMSID (null when a duplicate RequestId came back without one; its callback brings it).
     * The message's status does not change ({@link MessageState#smsSubmitted()}: a fallback in flight stays in flight);
     * the trigger tells the consumer with message.fallback_sent.
     */
    Uni<Integer> smsSubmitted(UUID id, UUID claim, String smsId, String note) {
        return updated(SMS_SUBMITTED, Tuple.of(id, claim, smsId, note));
    }

    /**
     * The SMS back to its outbox at {@code due}, with why ({@code message}; null when it only waits for its window);
     * {@code attempted} false gives back the attempt (no call was made).
     */
    Uni<Integer> smsRetryLater(UUID id, UUID claim, Instant due, String message, boolean attempted) {
        return updated("""
                update messages set sms_due_at = $3, sms_lease_until = null, sms_error_code = case when $4::varchar is null
                    then null else 'retrying' end, sms_error_message = $4, sms_attempts = sms_attempts - $5, updated_at = now()
                where id = $1 and sms_claim = $2 and sms_status = 'PENDING'""",
                Tuple.of(id, claim, utc(due), clip(message), attempted ? 0 : 1));
    }

    /**
     * eSMS refused the SMS, or its retries ran out: the SMS attempt is FAILED, and the message with it when Zalo's
     * failed too ({@link MessageState#smsFailed()}). Read, decided and written in one transaction.
     */
    Uni<Integer> smsFailed(UUID id, UUID claim, Error error) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                select m.id, m.kind, %s, m.provider_message_id, m.nxcloud_request_id, m.zalo_msg_id, m.sms_provider_message_id,
                    m.consumer_id, m.oa_id, m.journey_ref
                from messages m where m.id = $1 and m.sms_claim = $2 and m.sms_status = 'PENDING' for no key update""".formatted(STATE))
                .execute(Tuple.of(id, claim))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(0);
                    }
                    Locked locked = locked(rows.iterator().next());
                    Move move = new Move(id, locked.state().smsFailed(), null, error, null, null, null, null);
                    return applyMoves(connection, List.of(move)).replaceWith(1);
                }));
    }

    // --- cancel ----------------------------------------------------------------------------------------------

    /**
     * Takes a message back before it was ever claimed for sending: one statement that the dispatcher's claim cannot
     * interleave with (both lock the row; whichever commits first wins, and the other finds it moved on).
     */
    public Uni<Cancelled> cancel(UUID id, UUID consumerId) {
        return pool.preparedQuery("""
                with cancelled as (
                    update messages set %s
                    where id = $1 and consumer_id = $2 and %s
                    returning id)
                select (select count(*) from cancelled) as now, (select status from messages where id = $1 and consumer_id = $2)
                    as status""".formatted(CANCEL, CANCELLABLE))
                .execute(Tuple.of(id, consumerId))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    if (row.getLong("now") > 0) {
                        return Cancelled.NOW;
                    }
                    String status = row.getString("status");
                    return status == null ? Cancelled.NOT_FOUND
                            : MessageStatus.CANCELLED.name().equals(status) ? Cancelled.BEFORE : Cancelled.NOT_CANCELLABLE;
                });
    }

    /**
     * Takes back every message of a batch that can still be taken back, by the same rule and statement shape as
     * {@link #cancel} (each row locked; a claim that commits first wins): how many were cancelled now. The batch's
     * index finds its waiting messages.
     */
    public Uni<Integer> cancelBatch(UUID batchId, UUID consumerId) {
        return pool.preparedQuery("""
                update messages set %s
                where batch_id = $1 and consumer_id = $2 and %s""".formatted(CANCEL, CANCELLABLE))
                .execute(Tuple.of(batchId, consumerId))
                .map(rows -> rows.rowCount());
    }

    /** What a cancel writes. */
    private static final String CANCEL = "status = 'CANCELLED', due_at = null, held_until = null, updated_at = now()";
    /** A message that was never claimed for sending, and is not claimed now. */
    private static final String CANCELLABLE = """
            status in ('ACCEPTED', 'SCHEDULED') and attempts = 0 and (lease_until is null or lease_until < now())""";

    // --- holds -----------------------------------------------------------------------------------------------

    static final String RELEASE_HELD = """
            update messages set due_at = now(), held_until = null, updated_at = now()
            where oa_id = any($1) and held_until is not null and status in ('ACCEPTED', 'SCHEDULED')
                and oa_held_until(oa_id) is null""";

    /**
     * A report showed these OAs have quota again: their held messages are due now, in the caller's transaction
     * (with the report that showed it), unless the ledger still holds the OA (a newer reading of 0 wins over an
     * older report). One index lookup per OA.
     */
    public Uni<Void> releaseHeld(SqlClient client, Long[] oaIds) {
        if (oaIds.length == 0) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery(RELEASE_HELD)
                .execute(Tuple.of((Object) oaIds)).replaceWithVoid();
    }

    // --- reports (receipts), in the caller's transaction --------------------------------------------------

    static final String LOCK_FOR_REPORTS = """
            select m.id, m.kind, %s, m.provider_message_id, m.nxcloud_request_id, m.zalo_msg_id, m.sms_provider_message_id,
                m.consumer_id, m.oa_id, m.journey_ref
            from messages m where m.id = any(array(
                select id from messages where id = any($1::uuid[])
                union select id from messages where provider_message_id = any($2::varchar[])
                union select id from messages where nxcloud_request_id = any($2::varchar[])
                union select id from messages where zalo_msg_id = any($2::varchar[])
                union select id from messages where sms_provider_message_id = any($2::varchar[])))
            order by m.id for no key update""".formatted(STATE);

    /**
     * Locks, in the caller's transaction, the messages named by our ids or by any id a provider gave them (the Zalo
     * provider's reference, NXCloud's requestId, Zalo's message id, the SMS's SMSID), in id order (as the outbox locks
     * them, so the two never deadlock). One index lookup per kind of id, never an {@code or} across columns, then
     * one by primary key for the ids found (an array, not a join: no plan can read the table to match them). Not for
     * update: a report never changes a message's key, so inserts that reference it are not blocked.
     */
    public Uni<List<Locked>> lockForReports(SqlClient client, UUID[] ids, String[] references) {
        if (ids.length == 0 && references.length == 0) {
            return Uni.createFrom().item(List.of());
        }
        return client.preparedQuery(LOCK_FOR_REPORTS)
                .execute(Tuple.of(ids, references))
                .map(rows -> {
                    List<Locked> locked = new ArrayList<>(rows.size());
                    rows.forEach(row -> locked.add(locked(row)));
                    return locked;
                });
    }

    private static Locked locked(Row row) {
        return new Locked(row.getUUID("id"), MessageKind.fromWireName(row.getString("kind")).orElseThrow(), state(row),
                row.getString("provider_message_id"), row.getString("nxcloud_request_id"), row.getString("zalo_msg_id"),
                row.getString("sms_provider_message_id"), row.getUUID("consumer_id"), row.getLong("oa_id"), row.getUUID("journey_ref"));
    }

    private static MessageState state(Row row) {
        String zalo = row.getString("zalo_status");
        String sms = row.getString("sms_status");
        return new MessageState(MessageStatus.valueOf(row.getString("status")), zalo == null ? null : AttemptStatus.valueOf(zalo),
                sms == null ? null : AttemptStatus.valueOf(sms), FallbackReason.fromWireName(row.getString("sms_reason")),
                row.getBoolean("fallback"));
    }

    /**
     * Whether a message's {@code after} can still send its SMS ({@link MessageState#notDeliveredInTime()}): its Zalo
     * attempt is still out and no SMS was decided. Its {@code fallback_due_at} is kept only while this holds, and the
     * deadline's index (messages_fallback_due_idx) holds only such messages: messages delivered in time must never
     * fill the late pick, or the late ones behind them would never be reached.
     */
    private static String afterCounts(String alias) {
        return "%1$ssms_status is null and %1$szalo_status in ('SUBMITTED', 'SENT')".formatted(alias);
    }

    /**
     * Moves written to locked messages, by primary key (the ids are an array the table is looked up by).
     */
    static final String APPLY_MOVES = """
            update messages m set status = u.status, zalo_status = u.zalo_status, sms_status = u.sms_status,
                sms_reason = coalesce(m.sms_reason, u.sms_reason), channel = u.channel, updated_at = now(),
                sms_due_at = case when u.sms_status = 'PENDING' and m.sms_status is null then now() else m.sms_due_at end,
                sms_lease_until = case when u.sms_status = 'FAILED' then null else m.sms_lease_until end,
                fallback_due_at = case when %s then m.fallback_due_at end,
                error_code = coalesce(u.error_code, m.error_code),
                error_message = coalesce(u.error_message, m.error_message),
                error_class = coalesce(u.error_class, m.error_class),
                sms_error_code = coalesce(u.sms_error_code, m.sms_error_code),
                sms_error_message = coalesce(u.sms_error_message, m.sms_error_message),
                sms_error_class = coalesce(u.sms_error_class, m.sms_error_class),
                provider_message_id = coalesce(m.provider_message_id, u.reference),
                nxcloud_request_id = coalesce(m.nxcloud_request_id, u.nxcloud_request_id),
                zalo_msg_id = coalesce(m.zalo_msg_id, u.zalo_msg_id),
                sms_provider_message_id = coalesce(m.sms_provider_message_id, u.sms_reference)
            from unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[],
                $8::varchar[], $9::varchar[], $10::varchar[], $11::varchar[], $12::varchar[], $13::varchar[], $14::varchar[],
                $15::varchar[], $16::varchar[])
                as u(id, status, zalo_status, sms_status, sms_reason, channel, error_code, error_message, error_class,
                    sms_error_code, sms_error_message, sms_error_class, reference, nxcloud_request_id, zalo_msg_id, sms_reference)
            where m.id = any($1::uuid[]) and m.id = u.id
                and (m.status not in ('DELIVERED', 'FAILED', 'CANCELLED') or m.status = u.status)
                and (m.sms_status is not null or u.sms_status is null or u.sms_status = 'PENDING')""".formatted(afterCounts("u."));

    /**
     * Writes what happened to messages locked in the same transaction ({@link #lockForReports}, the jobs below): one
     * statement for them all. A known id is kept (the first one wins); a final message never moves; an SMS decided now
     * is due at once; a message whose {@code after} no longer counts (delivered, ended, or fallen back) leaves its
     * deadline.
     */
    public Uni<Void> applyMoves(SqlClient client, List<Move> moves) {
        if (moves.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = moves.size();
        UUID[] ids = new UUID[size];
        String[] statuses = new String[size];
        String[] zalo = new String[size];
        String[] sms = new String[size];
        String[] reasons = new String[size];
        String[] channels = new String[size];
        String[] codes = new String[size];
        String[] messages = new String[size];
        String[] classes = new String[size];
        String[] smsCodes = new String[size];
        String[] smsMessages = new String[size];
        String[] smsClasses = new String[size];
        String[] references = new String[size];
        String[] nxcloudIds = new String[size];
        String[] zaloIds = new String[size];
        String[] smsReferences = new String[size];
        for (int i = 0; i < size; i++) {
            Move move = moves.get(i);
            MessageState state = move.state();
            ids[i] = move.id();
            statuses[i] = state.status().name();
            zalo[i] = name(state.zalo());
            sms[i] = name(state.sms());
            reasons[i] = state.reason() == null ? null : state.reason().wireName();
            channels[i] = state.channel();
            if (move.zaloError() != null) {
                codes[i] = move.zaloError().code();
                messages[i] = clip(move.zaloError().message());
                classes[i] = move.zaloError().errorClass();
            }
            if (move.smsError() != null) {
                smsCodes[i] = move.smsError().code();
                smsMessages[i] = clip(move.smsError().message());
                smsClasses[i] = move.smsError().errorClass();
            }
            references[i] = move.learnedReference();
            nxcloudIds[i] = move.learnedNxcloudRequestId();
            zaloIds[i] = move.learnedZaloMsgId();
            smsReferences[i] = move.learnedSmsReference();
        }
        return client.preparedQuery(APPLY_MOVES)
                .execute(Tuple.from(List.of(ids, statuses, zalo, sms, reasons, channels, codes, messages, classes, smsCodes,
                        smsMessages, smsClasses, references, nxcloudIds, zaloIds, smsReferences)))
                .replaceWithVoid();
    }

    // --- the waits -------------------------------------------------------------------------------------------

    /** How many messages a job's pick moves at most, in one transaction; the job picks again while it finds as many. */
    static final int PICK = 1000;

    // Each job's pick is one index lookup of the few due, never a scan (HotStatementPlansTest EXPLAINs them on a million
    // messages): the Zalo attempts past the wait, the SMS attempts past it, the messages past their after. The limit is
    // written out, not a parameter: a cached (generic) plan would guess a tenth of the table for it, and scan.
    static final String ZALO_WAIT_OVER = """
            where m.zalo_status in ('SUBMITTED', 'SENT') and m.id in (
                select id from messages where zalo_status in ('SUBMITTED', 'SENT') and submitted_at <= now() - $1 * interval '1 millisecond'
                order by submitted_at limit %d)""".formatted(PICK);
    static final String SMS_WAIT_OVER = """
            where m.sms_status in ('SUBMITTED', 'SENT') and m.id in (
                select id from messages where sms_status in ('SUBMITTED', 'SENT')
                    and sms_submitted_at <= now() - $1 * interval '1 millisecond' order by sms_submitted_at limit %d)""".formatted(PICK);
    static final String FALLBACK_DUE = """
            where %s and m.id in (select id from messages where %s
                and fallback_due_at <= now() - $1 * interval '1 millisecond' order by fallback_due_at limit %d)"""
            .formatted(afterCounts("m."), afterCounts(""), PICK);

    /** The statement that locks what {@code where} picks, skipping rows others hold. */
    static String pick(String where) {
        return """
                select m.id, m.kind, %s, m.provider_message_id, m.nxcloud_request_id, m.zalo_msg_id, m.sms_provider_message_id,
                    m.consumer_id, m.oa_id, m.journey_ref
                from messages m %s
                order by m.id for no key update skip locked""".formatted(STATE, where);
    }

    /**
     * Zalo attempts a provider took and no final report reached within {@code wait} become UNCONFIRMED, whatever
     * their provider (eSMS, whether or not its callback is configured; eTelecom; eSMS's sandbox, which never
     * reports), and their SMS fallback goes; SMS attempts with no final report within it are UNCONFIRMED too. At most
     * {@code most} of each a call, oldest first. A late report still moves them on. The number moved.
     */
    public Uni<Integer> waitOver(Duration wait) {
        return moveLocked(ZALO_WAIT_OVER, wait, MessageState::waitOver)
                .chain(zalo -> moveLocked(SMS_WAIT_OVER, wait, MessageState::smsWaitOver).map(sms -> zalo + sms));
    }

    /**
     * Messages whose Zalo attempt was not DELIVERED within their {@code after}: their SMS goes
     * ({@link MessageState#notDeliveredInTime()}). At most {@code most} a call, by the fallback_due_at index.
     */
    public Uni<Integer> fallBackLate() {
        return moveLocked(FALLBACK_DUE, Duration.ZERO, MessageState::notDeliveredInTime);
    }

    /** Locks the messages {@code where} picks (skipping those locked), moves each by {@code rule}, writes what changed. */
    private Uni<Integer> moveLocked(String where, Duration wait, java.util.function.UnaryOperator<MessageState> rule) {
        return pool.withTransaction(connection -> connection.preparedQuery(pick(where))
                .execute(Tuple.of(wait.toMillis()))
                .chain(rows -> {
                    List<Move> moves = new ArrayList<>();
                    for (Row row : rows) {
                        Locked locked = locked(row);
                        MessageState after = rule.apply(locked.state());
                        if (!after.equals(locked.state())) {
                            moves.add(new Move(locked.id(), after, null, null, null, null, null, null));
                        }
                    }
                    return applyMoves(connection, moves).replaceWith(moves.size());
                }));
    }

    /**
     * The messages due a look with eSMS (GetCallback), marked looked (their next look scheduled) before any
     * call, so that a failed call never stalls them: after the first look, each one twice as late, at most
     * {@code maxLooks} times, then a last one at the wait; UNCONFIRMED ones keep their last look.
     */
    public Uni<List<Due>> dueForLook(int most, int maxLooks, Duration spacing, Duration wait) {
        return pool.preparedQuery("""
                with due as (
                    select id from messages
                    where status in ('SUBMITTED', 'UNCONFIRMED') and next_look_at <= now() and kind = 'transaction' and not sandbox
                    order by next_look_at limit $1
                    for update skip locked)
                update messages m set looks = m.looks + 1,
                    next_look_at = case when m.looks + 1 > $2 then null
                                        when m.looks + 1 = $2 then greatest(m.submitted_at + $4 * interval '1 millisecond', now())
                                        else now() + $3 * interval '1 millisecond' * power(2, m.looks + 1) end
                from due where m.id = due.id
                returning m.id, m.oa_id, m.provider_message_id, m.looks""")
                .execute(Tuple.of(most, maxLooks, spacing.toMillis(), wait.toMillis()))
                .map(rows -> {
                    List<Due> due = new ArrayList<>();
                    for (Row row : rows) {
                        due.add(new Due(row.getUUID("id"), row.getLong("oa_id"), row.getString("provider_message_id"),
                                row.getInteger("looks")));
                    }
                    return due;
                });
    }

    // --- retention ---------------------------------------------------------------------------------------

    /**
     * Deletes up to {@code most} final messages untouched for {@code keep}, of which no receipt remains
     * (receipts are purged first, on their own schedule); the number deleted.
     */
    public Uni<Integer> purge(Duration keep, int most) {
        return updated("""
                delete from messages where ctid = any(array(
                    select ctid from messages m where m.status in ('DELIVERED', 'FAILED', 'UNCONFIRMED')
                        and m.updated_at < now() - $1 * interval '1 millisecond'
                        and not exists (select 1 from receipts r where r.message_ref = m.id)
                    limit $2))""", Tuple.of(keep.toMillis(), most));
    }

    private Uni<Integer> updated(String sql, Tuple parameters) {
        return pool.preparedQuery(sql).execute(parameters).map(rows -> rows.rowCount());
    }

    private static String name(AttemptStatus status) {
        return status == null ? null : status.name();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }

    private static String clip(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
