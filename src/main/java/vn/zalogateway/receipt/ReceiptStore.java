package vn.zalogateway.receipt;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.common.Sha256;

/**
 * The receipts table, and its only writer: every receipt a provider sent, stored raw before anything else
 * happens to it (one insert for a batch, whatever its size, and one for a receipt that could not be read),
 * marked applied when its message or journey is found, and purged past its retention.
 */
@ApplicationScoped
class ReceiptStore {

    static final String INSERT = """
            insert into receipts (provider, natural_key, valid, status, code, message, request_id, journey_id, oa_id,
                sent_at, cost_currency, cost_amount, remaining_quota, daily_quota, ext, raw_body, received_at,
                message_id, message_ref, journey_ref, applied_at, app_id, provider_timestamp, zalo_error, zalo_message,
                zalo_sys_msg, zalo_cus_msg, zalo_msg_id, zalo_sent_at, zalo_sending_mode, unreadable, sms)
            select r.provider, r.natural_key, true, r.status, r.code, r.message, r.request_id, r.journey_id, r.oa_id,
                r.sent_at, r.cost_currency, r.cost_amount::numeric, r.remaining_quota, r.daily_quota, r.ext, r.raw_body, $1::timestamptz,
                r.message_id, r.message_ref, r.journey_ref,
                case when r.message_ref is null and r.journey_ref is null then null else $1::timestamptz end, r.app_id,
                r.provider_timestamp, r.zalo_error, r.zalo_message, r.zalo_sys_msg, r.zalo_cus_msg, r.zalo_msg_id,
                r.zalo_sent_at, r.zalo_sending_mode, r.unreadable, r.sms
            from unnest($2::varchar[], $3::varchar[], $4::varchar[], $5::int[], $6::varchar[], $7::varchar[], $8::varchar[],
                $9::varchar[], $10::timestamptz[], $11::varchar[], $12::text[], $13::int[], $14::int[], $15::text[], $16::text[],
                $17::uuid[], $18::uuid[], $19::uuid[], $20::varchar[], $21::timestamptz[], $22::int[], $23::varchar[],
                $24::varchar[], $25::varchar[], $26::varchar[], $27::timestamptz[], $28::varchar[], $29::varchar[], $30::boolean[])
                as r(provider, natural_key, status, code, message, request_id, journey_id, oa_id, sent_at, cost_currency,
                    cost_amount, remaining_quota, daily_quota, ext, raw_body, message_id, message_ref, journey_ref, app_id,
                    provider_timestamp, zalo_error, zalo_message, zalo_sys_msg, zalo_cus_msg, zalo_msg_id, zalo_sent_at,
                    zalo_sending_mode, unreadable, sms)
            on conflict (provider, natural_key) do nothing
            returning provider, natural_key""";

    /** The columns a stored receipt is applied from (the sweep reads them back). */
    private static final String APPLICABLE = """
            id, provider, status, code, message, request_id, journey_id, oa_id, sent_at, cost_currency, cost_amount,
            remaining_quota, daily_quota, message_id, zalo_sent_at, zalo_msg_id, zalo_error, zalo_message, sms""";

    /** Stored receipts still unmatched, by primary key, skipping those another sweep holds. */
    static final String LOCK_UNMATCHED = "select " + APPLICABLE
            + " from receipts where id = any($1::bigint[]) and applied_at is null and valid order by id for update skip locked";

    /** Stored receipts marked applied, by primary key (the ids are an array the table is looked up by). */
    static final String MARK_APPLIED = """
            update receipts r set message_ref = u.message_ref, journey_ref = u.journey_ref, applied_at = $4
            from unnest($1::bigint[], $2::uuid[], $3::uuid[]) as u(id, message_ref, journey_ref)
            where r.id = any($1::bigint[]) and r.id = u.id""";

    private final Pool pool;

    ReceiptStore(Pool pool) {
        this.pool = pool;
    }

    /**
     * Inserts the batch's receipts that are not stored yet, each with the message or journey it was matched to;
     * answers the keys ({@link ReceiptBatch#key}) of those stored now (the others were stored before).
     */
    Uni<Set<String>> insert(SqlClient client, ReceiptBatch batch, Instant now) {
        List<ReceiptBatch.Incoming> distinct = batch.distinct();
        // Inserted in key order: two batches that share a receipt wait for each other in the same order, never in a cycle.
        Integer[] order = new Integer[distinct.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparing(i -> distinct.get(i).key()));
        Columns columns = new Columns(order.length);
        for (int n = 0; n < order.length; n++) {
            int i = order[n];
            columns.set(n, distinct.get(i), batch.messageRef(i), batch.journeyRef(i));
        }
        return client.preparedQuery(INSERT).execute(columns.tuple(utc(now))).map(rows -> {
            Set<String> stored = new HashSet<>();
            for (Row row : rows) {
                stored.add(ReceiptBatch.key(row.getString(0), row.getString(1)));
            }
            return stored;
        });
    }

    /** Keeps a receipt that could not be read, for inspection (never applied); a repeat of the same bytes is kept once. */
    Uni<Void> insertInvalid(String provider, String raw, String problem, Instant now) {
        return pool.preparedQuery("""
                insert into receipts (provider, natural_key, valid, problem, raw_body, received_at)
                values ($1, $2, false, $3, $4, $5)
                on conflict (provider, natural_key) do nothing""")
                .execute(Tuple.of(provider, "invalid|" + Sha256.hex(raw == null ? "" : raw),
                        problem.length() > 500 ? problem.substring(0, 500) : problem,
                        raw == null ? "" : ReceiptColumns.storable(raw), utc(now)))
                .replaceWithVoid();
    }

    /**
     * Locks, in the caller's transaction, stored receipts still unmatched (skipping those another sweep holds),
     * and reads back what applying them needs.
     */
    Uni<List<ReceiptBatch.Incoming>> lockUnmatched(SqlClient client, List<Long> ids) {
        return client.preparedQuery(LOCK_UNMATCHED)
                .execute(Tuple.of((Object) ids.toArray(Long[]::new)))
                .map(rows -> {
                    List<ReceiptBatch.Incoming> stored = new ArrayList<>();
                    rows.forEach(row -> stored.add(stored(row)));
                    return stored;
                });
    }

    private static ReceiptBatch.Incoming stored(Row row) {
        ReceiptStatus status = ReceiptStatus.fromWireName(row.getString("status")).orElseThrow();
        OffsetDateTime zaloSentAt = row.getOffsetDateTime("zalo_sent_at");
        ParsedReceipt.ZaloAnswer zalo = zaloSentAt == null && row.getString("zalo_msg_id") == null && row.getInteger("zalo_error") == null
                ? null : new ParsedReceipt.ZaloAnswer(row.getInteger("zalo_error"), row.getString("zalo_message"), null, null,
                        row.getString("zalo_msg_id"), instant(zaloSentAt), null);
        ParsedReceipt receipt = new ParsedReceipt(status, row.getInteger("code"), row.getString("message"), row.getString("request_id"),
                row.getString("journey_id"), row.getString("oa_id"), null, instant(row.getOffsetDateTime("sent_at")), null,
                row.getString("cost_currency"), row.getBigDecimal("cost_amount"), row.getInteger("remaining_quota"),
                row.getInteger("daily_quota"), null, row.getUUID("message_id"), zalo, List.of(), null, row.getBoolean("sms"));
        // Its own key: a stored receipt is one of a kind.
        return new ReceiptBatch.Incoming(row.getString("provider"), receipt, null, row.getLong("id"));
    }

    /** Marks stored receipts applied to the message or journey found for them now. */
    Uni<Void> markApplied(SqlClient client, List<Long> ids, List<UUID> messageRefs, List<UUID> journeyRefs, Instant now) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return client.preparedQuery(MARK_APPLIED)
                .execute(Tuple.of(ids.toArray(Long[]::new), messageRefs.toArray(UUID[]::new), journeyRefs.toArray(UUID[]::new),
                        utc(now)))
                .replaceWithVoid();
    }

    /**
     * Unmatched receipts whose message or journey is known now (by our id, any id a provider gave the message, or
     * the journey id), oldest first. One index lookup per kind of id.
     */
    Uni<List<Long>> applicableNow(int most) {
        return pool.preparedQuery("""
                select r.id from receipts r
                where r.valid and r.applied_at is null and (
                    (r.status in ('success', 'failed', 'delivered', 'progress') and (
                        exists (select 1 from messages m where m.provider_message_id = r.request_id)
                        or exists (select 1 from messages m where m.nxcloud_request_id = r.request_id)
                        or exists (select 1 from messages m where m.zalo_msg_id = r.request_id)
                        or r.sms and exists (select 1 from messages m where m.sms_provider_message_id = r.request_id)
                        or r.zalo_msg_id is not null and exists (select 1 from messages m where m.zalo_msg_id = r.zalo_msg_id)
                        or r.zalo_msg_id is not null and exists (select 1 from messages m where m.provider_message_id = r.zalo_msg_id)
                        or r.message_id is not null and exists (select 1 from messages m where m.id = r.message_id)))
                    or (r.status in ('journey_acknowledged', 'journey_time_out')
                        and exists (select 1 from journeys j where j.journey_id = r.journey_id)))
                order by r.id limit $1""")
                .execute(Tuple.of(most))
                .map(rows -> {
                    List<Long> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getLong(0)));
                    return ids;
                });
    }

    /** Receipts still waiting for their message or journey. */
    Uni<Long> waiting() {
        return pool.query("select count(*) from receipts where valid and applied_at is null").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** Deletes up to {@code most} unmatched receipts older than {@code keep}; the number deleted. */
    Uni<Integer> purgeUnmatched(Duration keep, int most) {
        return pool.preparedQuery("""
                delete from receipts where ctid = any(array(
                    select ctid from receipts where applied_at is null
                        and received_at < now() - $1 * interval '1 millisecond' limit $2))""")
                .execute(Tuple.of(keep.toMillis(), most)).map(rows -> rows.rowCount());
    }

    /** Deletes up to {@code most} receipts older than {@code keep}; the number deleted. */
    Uni<Integer> purge(Duration keep, int most) {
        return pool.preparedQuery("""
                delete from receipts where ctid = any(array(
                    select ctid from receipts where received_at < now() - $1 * interval '1 millisecond' limit $2))""")
                .execute(Tuple.of(keep.toMillis(), most)).map(rows -> rows.rowCount());
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }

    /** The receipts' fields as one array per column, the parameters of {@link #INSERT}. */
    private static final class Columns {
        final String[] provider, naturalKey, status, message, requestId, journeyId, oaId, costCurrency, costAmount, ext, raw,
                appId, zaloMessage, zaloSysMsg, zaloCusMsg, zaloMsgId, zaloSendingMode, unreadable;
        final Integer[] code, remainingQuota, dailyQuota, zaloError;
        final OffsetDateTime[] sentAt, providerTime, zaloSentAt;
        final UUID[] messageId, messageRef, journeyRef;
        final Boolean[] sms;

        Columns(int size) {
            provider = new String[size];
            naturalKey = new String[size];
            status = new String[size];
            message = new String[size];
            requestId = new String[size];
            journeyId = new String[size];
            oaId = new String[size];
            costCurrency = new String[size];
            costAmount = new String[size];
            ext = new String[size];
            raw = new String[size];
            appId = new String[size];
            zaloMessage = new String[size];
            zaloSysMsg = new String[size];
            zaloCusMsg = new String[size];
            zaloMsgId = new String[size];
            zaloSendingMode = new String[size];
            unreadable = new String[size];
            code = new Integer[size];
            remainingQuota = new Integer[size];
            dailyQuota = new Integer[size];
            zaloError = new Integer[size];
            sentAt = new OffsetDateTime[size];
            providerTime = new OffsetDateTime[size];
            zaloSentAt = new OffsetDateTime[size];
            messageId = new UUID[size];
            messageRef = new UUID[size];
            journeyRef = new UUID[size];
            sms = new Boolean[size];
        }

        void set(int n, ReceiptBatch.Incoming incoming, UUID matchedMessage, UUID matchedJourney) {
            ParsedReceipt receipt = incoming.receipt();
            ParsedReceipt.ZaloAnswer zalo = receipt.zalo();
            provider[n] = incoming.provider();
            naturalKey[n] = receipt.naturalKey();
            status[n] = receipt.status().wireName();
            code[n] = receipt.code();
            message[n] = receipt.message();
            requestId[n] = receipt.requestId();
            journeyId[n] = receipt.journeyId();
            oaId[n] = receipt.oaId();
            sentAt[n] = utc(receipt.sentAt());
            costCurrency[n] = receipt.costCurrency();
            costAmount[n] = receipt.costAmount() == null ? null : receipt.costAmount().toPlainString();
            remainingQuota[n] = receipt.remainingQuota();
            dailyQuota[n] = receipt.dailyQuota();
            ext[n] = receipt.ext();
            raw[n] = ReceiptColumns.storable(incoming.raw());
            messageId[n] = receipt.messageId();
            messageRef[n] = matchedMessage;
            journeyRef[n] = matchedJourney;
            appId[n] = receipt.appId();
            providerTime[n] = utc(receipt.providerTime());
            if (zalo != null) {
                zaloError[n] = zalo.error();
                zaloMessage[n] = zalo.message();
                zaloSysMsg[n] = zalo.sysMsg();
                zaloCusMsg[n] = zalo.cusMsg();
                zaloMsgId[n] = zalo.msgId();
                zaloSentAt[n] = utc(zalo.sentAt());
                zaloSendingMode[n] = zalo.sendingMode();
            }
            sms[n] = receipt.sms();
            unreadable[n] = receipt.unreadable().isEmpty() ? null
                    : ReceiptColumns.clip(String.join("; ", receipt.unreadable()), ReceiptColumns.UNREADABLE);
        }

        Tuple tuple(OffsetDateTime now) {
            return Tuple.from(List.of(now, provider, naturalKey, status, code, message, requestId, journeyId, oaId, sentAt,
                    costCurrency, costAmount, remainingQuota, dailyQuota, ext, raw, messageId, messageRef, journeyRef, appId,
                    providerTime, zaloError, zaloMessage, zaloSysMsg, zaloCusMsg, zaloMsgId, zaloSentAt, zaloSendingMode,
                    unreadable, sms));
        }
    }
}
