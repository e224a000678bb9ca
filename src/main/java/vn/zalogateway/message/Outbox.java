package vn.zalogateway.message;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.journey.JourneyStatus;

/**
 * The messages table as an outbox. Claiming takes due rows with {@code FOR UPDATE SKIP LOCKED} and
 * leases them, in one short statement, so concurrent dispatchers (threads or replicas) never take the
 * same message; every outcome is a guarded update that only moves a message forward, and only under the
 * claim that holds it (its token), so a dispatcher whose lease ran out cannot overwrite another's claim. Plain SQL on the
 * reactive pool: each statement stands alone, so many run in parallel safely.
 */
@ApplicationScoped
public class Outbox {

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
     * charged any. A known reference is kept.
     */
    public record Submission(UUID id, UUID claim, String reference, BigDecimal feeMain, BigDecimal feeToken) {

        Submission(UUID id, UUID claim, String reference) {
            this(id, claim, reference, null, null);
        }
    }

    private static final String WAITING = "status in ('ACCEPTED', 'SCHEDULED')";

    private final Pool pool;
    /** When a submitted message is first looked up if no callback came (the reconciler's schedule). */
    private final Duration firstLook;
    /**
     * When a message nobody can look up (eSMS's sandbox, which never reports; a journey message, which only
     * NXCloud reports) is marked UNCONFIRMED if no receipt came: once, at the wait, with no call.
     */
    private final Duration lastLook;

    Outbox(Pool pool, vn.zalogateway.common.config.GatewayConfig config) {
        this.pool = pool;
        this.firstLook = config.receipts().reconcileAfter();
        this.lastLook = config.receipts().waitFor();
    }

    /**
     * Claims due messages of these kinds under a new token ({@code claim}): outcomes written under another
     * token change nothing. A kind whose provider is failing is left out, so its messages wait without churn.
     */
    Uni<List<Claimed>> claim(int batchSize, Duration lease, UUID claim, java.util.Set<MessageKind> kinds) {
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

    /** Records many submissions in one statement; the number recorded (a lost claim records nothing). */
    Uni<Integer> submitted(List<Submission> submissions) {
        if (submissions.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        UUID[] ids = submissions.stream().map(Submission::id).toArray(UUID[]::new);
        String[] references = submissions.stream().map(Submission::reference).toArray(String[]::new);
        UUID[] claims = submissions.stream().map(Submission::claim).toArray(UUID[]::new);
        // Decimals travel as text: exact, and the client's array codecs need no numeric type of their own.
        String[] feesMain = submissions.stream().map(Submission::feeMain).map(Outbox::plain).toArray(String[]::new);
        String[] feesToken = submissions.stream().map(Submission::feeToken).map(Outbox::plain).toArray(String[]::new);
        // Rows are locked in id order, as renew locks them: two statements of one round never deadlock.
        return updated("""
                with s as (select * from unnest($1::uuid[], $2::text[], $3::uuid[], $6::text[], $7::text[])
                        as s (id, reference, claim, fee_main, fee_token)),
                    locked as (select m.id from messages m join s on m.id = s.id and m.claim = s.claim
                        where m.%1$s order by m.id for update of m)
                update messages m set status = 'SUBMITTED', provider_message_id = coalesce(m.provider_message_id, s.reference),
                    fee_main = s.fee_main::numeric, fee_token = s.fee_token::numeric, submitted_at = now(),
                    next_look_at = now() + case when m.kind = 'transaction' and not m.sandbox then $4::bigint else $5::bigint end
                        * interval '1 millisecond',
                    due_at = null, lease_until = null, error_code = null, error_message = null, updated_at = now()
                from s
                where m.id = s.id and m.id in (select id from locked) and m.claim = s.claim and m.%1$s""".formatted(WAITING),
                Tuple.from(List.of(ids, references, claims, firstLook.toMillis(), lastLook.toMillis(), feesMain, feesToken)));
    }

    Uni<Integer> failed(UUID id, UUID claim, String code, String message) {
        return updated("""
                update messages set status = 'FAILED', error_code = $2, error_message = $3,
                    due_at = null, lease_until = null, updated_at = now()
                where id = $1 and claim = $4 and %s""".formatted(WAITING), Tuple.of(id, code, clip(message), claim));
    }

    /** Back to the outbox; {@code attempted} false gives back the attempt the claim counted (no call was made). */
    Uni<Integer> retryLater(UUID id, UUID claim, Duration delay, String code, String message, boolean attempted) {
        return updated("""
                update messages set due_at = now() + $2 * interval '1 millisecond', lease_until = null,
                    error_code = $3, error_message = $4, attempts = attempts - $5, updated_at = now()
                where id = $1 and claim = $6 and %s""".formatted(WAITING),
                Tuple.from(List.of(id, delay.toMillis(), code, clip(message), attempted ? 0 : 1, claim)));
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

    private Uni<Integer> updated(String sql, Tuple parameters) {
        return pool.preparedQuery(sql).execute(parameters).map(rows -> rows.rowCount());
    }

    private static String plain(BigDecimal amount) {
        return amount == null ? null : amount.toPlainString();
    }

    private static String clip(String text) {
        return text == null || text.length() <= 1000 ? text : text.substring(0, 1000);
    }
}
