package vn.zalogateway.message;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
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
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.journey.JourneyStatus;
import vn.zalogateway.ledger.Charge;
import vn.zalogateway.ledger.ChargeItem;
import vn.zalogateway.ledger.Ledger;
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
     * journey id, its status and expiry.
     */
    public record Claimed(UUID id, UUID claim, UUID consumerId, MessageKind kind, long oaId, String userId, String zaloPayload,
            boolean sandbox, String phone, Integer templateId, String templateData, UUID journeyRef, String journeyPhone,
            String journeyTokenType, int attempts, LinkedJourney journey) {
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

    /** A message locked for the reports about it, with what the ledger needs to know of it. */
    public record Locked(UUID id, MessageKind kind, MessageStatus status, String providerMessageId, String nxcloudRequestId,
            String zaloMsgId, UUID consumerId, long oaId, UUID journeyRef) {
    }

    /**
     * What the reports of one transaction make of a locked message: its status after them (by
     * {@link MessageTransitions}), the error of the report that failed it (with its class), and the ids it learned:
     * the provider's reference (a message whose SMSID eSMS never told, named by our id in a callback), NXCloud's
     * requestId and Zalo's message id.
     */
    public record Move(UUID id, MessageStatus status, String errorCode, String errorMessage, String errorClass,
            String learnedReference, String learnedNxcloudRequestId, String learnedZaloMsgId) {

        public Move(UUID id, MessageStatus status, String errorCode, String errorMessage, String learnedReference) {
            this(id, status, errorCode, errorMessage, null, learnedReference, null, null);
        }
    }

    /** One look, due now, at a message the reconciler may ask eSMS about. */
    public record Due(UUID id, long oaId, String smsId, int looks) {
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

    /**
     * Claims due messages of these kinds under a new token ({@code claim}): outcomes written under another
     * token change nothing. A kind whose provider is failing is left out, so its messages wait without churn.
     */
    Uni<List<Claimed>> claim(int batchSize, Duration lease, UUID claim, Set<MessageKind> kinds) {
        if (kinds.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        String[] kindNames = kinds.stream().map(MessageKind::wireName).toArray(String[]::new);
        return pool.preparedQuery("""
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
                          j.status as journey_status, j.expires_at as journey_expires_at""".formatted(WAITING))
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
                JourneyStatus.valueOf(journeyStatus), row.getOffsetDateTime("journey_expires_at") == null ? null
                        : row.getOffsetDateTime("journey_expires_at").toInstant());
        return new Claimed(row.getUUID("id"), claim, row.getUUID("consumer_id"), MessageKind.fromWireName(row.getString("kind")).orElseThrow(),
                row.getLong("oa_id"), row.getString("user_id"), row.getString("zalo_payload"), row.getBoolean("sandbox"),
                row.getString("phone"), row.getInteger("template_id"), row.getString("template_data"),
                row.getUUID("journey_ref"), row.getString("journey_phone"), row.getString("journey_token_type"),
                row.getInteger("attempts"), journey);
    }

    /**
     * Records many submissions in one statement; the number recorded (a lost claim records nothing). The fees
     * eTelecom charged go to the ledger in the same transaction.
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

    private Uni<List<Recorded>> submitted(SqlClient client, List<Submission> submissions) {
        UUID[] ids = submissions.stream().map(Submission::id).toArray(UUID[]::new);
        String[] references = submissions.stream().map(Submission::reference).toArray(String[]::new);
        UUID[] claims = submissions.stream().map(Submission::claim).toArray(UUID[]::new);
        String[] notes = submissions.stream().map(Submission::note).toArray(String[]::new);
        String[] answers = submissions.stream().map(Submission::answer).toArray(String[]::new);
        // Only eSMS can be asked about a message it took (GetCallback), and not about a sandbox message (it keeps none).
        // Rows are locked in id order, as renew locks them: two statements of one round never deadlock.
        return client.preparedQuery("""
                with s as (select * from unnest($1::uuid[], $2::text[], $3::uuid[], $5::text[], $6::text[])
                        as s (id, reference, claim, note, answer)),
                    locked as (select m.id from messages m join s on m.id = s.id and m.claim = s.claim
                        where m.%1$s order by m.id for update of m)
                update messages m set status = 'SUBMITTED', provider_message_id = coalesce(m.provider_message_id, s.reference),
                    zalo_msg_id = coalesce(m.zalo_msg_id, case when m.kind = 'zns_journey' then s.reference end),
                    provider_note = coalesce(s.note, m.provider_note), provider_answer = coalesce(s.answer, m.provider_answer),
                    submitted_at = now(),
                    next_look_at = case when m.kind = 'transaction' and not m.sandbox then now() + $4 * interval '1 millisecond' end,
                    due_at = null, lease_until = null, error_code = null, error_message = null, updated_at = now()
                from s
                where m.id = s.id and m.id in (select id from locked) and m.claim = s.claim and m.%1$s
                returning m.id, m.consumer_id, m.oa_id, m.journey_ref""".formatted(WAITING))
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

    Uni<Integer> failed(UUID id, UUID claim, String code, String message, ErrorClass errorClass, String answer) {
        return updated("""
                update messages set status = 'FAILED', error_code = $2, error_message = $3, error_class = $5,
                    provider_answer = coalesce($6, provider_answer), due_at = null, lease_until = null, updated_at = now()
                where id = $1 and claim = $4 and %s""".formatted(WAITING),
                Tuple.from(java.util.Arrays.asList(id, code, clip(message), claim, errorClass.wireName(), answer)));
    }

    /**
     * A send that may have reached a provider that documents no dropping of a repeat (eTelecom): never sent again.
     * It waits SUBMITTED, with no reference and the reason in its error, for a receipt or the wait (UNCONFIRMED).
     */
    Uni<Integer> outcomeUnknown(UUID id, UUID claim, String code, String message, String answer) {
        return updated("""
                update messages set status = 'SUBMITTED', submitted_at = now(), error_code = $2, error_message = $3,
                    provider_answer = coalesce($5, provider_answer),
                    due_at = null, lease_until = null, next_look_at = null, updated_at = now()
                where id = $1 and claim = $4 and %s""".formatted(WAITING),
                Tuple.from(java.util.Arrays.asList(id, code, clip(message), claim, answer)));
    }

    /** Back to the outbox; {@code attempted} false gives back the attempt the claim counted (no call was made). */
    Uni<Integer> retryLater(UUID id, UUID claim, Duration delay, String code, String message, boolean attempted, String answer) {
        return updated("""
                update messages set due_at = now() + $2 * interval '1 millisecond', lease_until = null,
                    error_code = $3, error_message = $4, attempts = attempts - $5, provider_answer = coalesce($7, provider_answer),
                    updated_at = now()
                where id = $1 and claim = $6 and %s""".formatted(WAITING),
                Tuple.from(java.util.Arrays.asList(id, delay.toMillis(), code, clip(message), attempted ? 0 : 1, claim, answer)));
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

    // --- reports (receipts), in the caller's transaction --------------------------------------------------

    /**
     * Locks, in the caller's transaction, the messages named by our ids or by any id a provider gave them (its
     * reference, NXCloud's requestId, Zalo's message id), in id order (as the outbox locks them, so the two never
     * deadlock). One index lookup per kind of id, never an {@code or} across columns. Not for update: a report never
     * changes a message's key, so inserts that reference it are not blocked.
     */
    public Uni<List<Locked>> lockForReports(SqlClient client, UUID[] ids, String[] references) {
        if (ids.length == 0 && references.length == 0) {
            return Uni.createFrom().item(List.of());
        }
        return client.preparedQuery("""
                select id, kind, status, provider_message_id, nxcloud_request_id, zalo_msg_id, consumer_id, oa_id, journey_ref
                from messages where id in (
                    select id from messages where id = any($1::uuid[])
                    union select id from messages where provider_message_id = any($2::varchar[])
                    union select id from messages where nxcloud_request_id = any($2::varchar[])
                    union select id from messages where zalo_msg_id = any($2::varchar[]))
                order by id for no key update""")
                .execute(Tuple.of(ids, references))
                .map(rows -> {
                    List<Locked> locked = new ArrayList<>(rows.size());
                    rows.forEach(row -> locked.add(new Locked(row.getUUID("id"),
                            MessageKind.fromWireName(row.getString("kind")).orElseThrow(), MessageStatus.valueOf(row.getString("status")),
                            row.getString("provider_message_id"), row.getString("nxcloud_request_id"), row.getString("zalo_msg_id"),
                            row.getUUID("consumer_id"), row.getLong("oa_id"), row.getUUID("journey_ref"))));
                    return locked;
                });
    }

    /**
     * Writes what reports made of messages locked by {@link #lockForReports} in the same transaction: one
     * statement for them all. A known id is kept (the first one wins); a final message never moves.
     */
    public Uni<Void> applyReports(SqlClient client, List<Move> moves) {
        if (moves.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = moves.size();
        UUID[] ids = new UUID[size];
        String[] statuses = new String[size];
        String[] codes = new String[size];
        String[] reasons = new String[size];
        String[] classes = new String[size];
        String[] references = new String[size];
        String[] nxcloudIds = new String[size];
        String[] zaloIds = new String[size];
        for (int i = 0; i < size; i++) {
            Move move = moves.get(i);
            ids[i] = move.id();
            statuses[i] = move.status().name();
            codes[i] = move.errorCode();
            reasons[i] = clip(move.errorMessage());
            classes[i] = move.errorClass();
            references[i] = move.learnedReference();
            nxcloudIds[i] = move.learnedNxcloudRequestId();
            zaloIds[i] = move.learnedZaloMsgId();
        }
        return client.preparedQuery("""
                update messages m set status = u.status, updated_at = now(),
                    error_code = coalesce(u.error_code, m.error_code),
                    error_message = coalesce(u.error_message, m.error_message),
                    error_class = coalesce(u.error_class, m.error_class),
                    provider_message_id = coalesce(m.provider_message_id, u.reference),
                    nxcloud_request_id = coalesce(m.nxcloud_request_id, u.nxcloud_request_id),
                    zalo_msg_id = coalesce(m.zalo_msg_id, u.zalo_msg_id)
                from unnest($1::uuid[], $2::varchar[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[], $7::varchar[],
                    $8::varchar[]) as u(id, status, error_code, error_message, error_class, reference, nxcloud_request_id, zalo_msg_id)
                where m.id = u.id and (m.status not in ('DELIVERED', 'FAILED') or m.status = u.status)""")
                .execute(Tuple.from(List.of(ids, statuses, codes, reasons, classes, references, nxcloudIds, zaloIds)))
                .replaceWithVoid();
    }

    // --- the wait for a final report ---------------------------------------------------------------------

    /**
     * Messages a provider took and no final report reached within {@code wait} become UNCONFIRMED, whatever
     * their provider (eSMS, whether or not its callback is configured; eTelecom; eSMS's sandbox, which never
     * reports): at most {@code most} a call, oldest first. A late report still moves them on.
     */
    public Uni<Integer> unconfirmed(Duration wait, int most) {
        return updated("""
                with due as (
                    select id from messages where status = 'SUBMITTED' and submitted_at <= now() - $1 * interval '1 millisecond'
                    order by submitted_at limit $2 for update skip locked)
                update messages m set status = 'UNCONFIRMED', updated_at = now() from due where m.id = due.id""",
                Tuple.of(wait.toMillis(), most));
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

    private static String clip(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
