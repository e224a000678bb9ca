package vn.zalogateway.receipt;

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
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.message.MessageStatus;

/**
 * Stores and applies a batch of message receipts in one transaction of three statements, whatever its size:
 * lock the messages they name (in id order, as the dispatcher does, so the two never deadlock), insert every
 * receipt from arrays ({@code unnest}; a duplicate of an earlier receipt is skipped by its natural key and
 * reported back missing from {@code RETURNING}), then write each message's new state. The receipt goes in
 * before its message moves: the status callback's trigger reads the receipt's cost.
 */
@ApplicationScoped
class ReceiptBatchStore {

    /** What the batch did, for the metrics and the sweeper. */
    record Outcome(List<ReceiptBatch.Incoming> duplicates, int unmatched, boolean learnedSmsId) {
    }

    private static final String LOCK = """
            select id, status, provider_message_id from messages
            where id = any($1::uuid[]) or provider_message_id = any($2::varchar[])
            order by id for no key update""";

    private static final String INSERT = """
            insert into receipts (provider, natural_key, valid, status, code, message, request_id, journey_id, oa_id,
                sent_at, cost_currency, cost_amount, remaining_quota, daily_quota, ext, raw_body, received_at,
                message_id, message_ref, applied_at, app_id, provider_timestamp, zalo_error, zalo_message,
                zalo_sys_msg, zalo_cus_msg, zalo_msg_id, zalo_sent_at, zalo_sending_mode, unreadable)
            select r.provider, r.natural_key, true, r.status, r.code, r.message, r.request_id, r.journey_id, r.oa_id,
                r.sent_at, r.cost_currency, r.cost_amount::numeric, r.remaining_quota, r.daily_quota, r.ext, r.raw_body, $1::timestamptz,
                r.message_id, r.message_ref, case when r.message_ref is null then null else $1::timestamptz end, r.app_id,
                r.provider_timestamp, r.zalo_error, r.zalo_message, r.zalo_sys_msg, r.zalo_cus_msg, r.zalo_msg_id,
                r.zalo_sent_at, r.zalo_sending_mode, r.unreadable
            from unnest($2::varchar[], $3::varchar[], $4::varchar[], $5::int[], $6::varchar[], $7::varchar[], $8::varchar[],
                $9::varchar[], $10::timestamptz[], $11::varchar[], $12::text[], $13::int[], $14::int[], $15::text[], $16::text[],
                $17::uuid[], $18::uuid[], $19::varchar[], $20::timestamptz[], $21::int[], $22::varchar[], $23::varchar[],
                $24::varchar[], $25::varchar[], $26::timestamptz[], $27::varchar[], $28::varchar[])
                as r(provider, natural_key, status, code, message, request_id, journey_id, oa_id, sent_at, cost_currency,
                    cost_amount, remaining_quota, daily_quota, ext, raw_body, message_id, message_ref, app_id,
                    provider_timestamp, zalo_error, zalo_message, zalo_sys_msg, zalo_cus_msg, zalo_msg_id, zalo_sent_at,
                    zalo_sending_mode, unreadable)
            on conflict (provider, natural_key) do nothing
            returning provider, natural_key""";

    private static final String MOVE = """
            update messages m set status = u.status, updated_at = $1::timestamptz,
                error_code = coalesce(u.error_code, m.error_code),
                error_message = coalesce(u.error_message, m.error_message),
                provider_message_id = coalesce(m.provider_message_id, u.sms_id)
            from unnest($2::uuid[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[])
                as u(id, status, error_code, error_message, sms_id)
            where m.id = u.id""";

    private final Pool pool;

    ReceiptBatchStore(Pool pool) {
        this.pool = pool;
    }

    Uni<Outcome> write(List<ReceiptBatch.Incoming> received, Instant now) {
        ReceiptBatch batch = new ReceiptBatch(received);
        OffsetDateTime at = now.atOffset(ZoneOffset.UTC);
        return pool.withTransaction(connection -> lock(connection, batch)
                .chain(() -> insert(connection, batch, at))
                .chain(stored -> move(connection, batch.moves(stored), at).replaceWith(new Outcome(batch.duplicates(stored), batch.unmatched(stored), batch.learnedSmsId()))));
    }

    private static Uni<Void> lock(SqlConnection connection, ReceiptBatch batch) {
        UUID[] ids = batch.messageIds();
        String[] smsIds = batch.smsIds();
        if (ids.length == 0 && smsIds.length == 0) {
            batch.match(List.of());
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery(LOCK).execute(Tuple.from(List.of(ids, smsIds))).map(rows -> {
            List<ReceiptBatch.LockedMessage> locked = new ArrayList<>();
            for (Row row : rows) {
                locked.add(new ReceiptBatch.LockedMessage(row.getUUID(0), MessageStatus.valueOf(row.getString(1)), row.getString(2)));
            }
            batch.match(locked);
            return null;
        });
    }

    /** The keys ({@link ReceiptBatch#key}) of the receipts stored now; the others were stored before. */
    private static Uni<Set<String>> insert(SqlConnection connection, ReceiptBatch batch, OffsetDateTime now) {
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
            columns.set(n, distinct.get(i), batch.target(i));
        }
        return connection.preparedQuery(INSERT).execute(columns.tuple(now)).map(rows -> {
            Set<String> stored = new HashSet<>();
            for (Row row : rows) {
                stored.add(ReceiptBatch.key(row.getString(0), row.getString(1)));
            }
            return stored;
        });
    }

    private static Uni<Void> move(SqlConnection connection, List<ReceiptBatch.Move> moves, OffsetDateTime now) {
        if (moves.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = moves.size();
        UUID[] ids = new UUID[size];
        String[] statuses = new String[size];
        String[] codes = new String[size];
        String[] reasons = new String[size];
        String[] smsIds = new String[size];
        for (int i = 0; i < size; i++) {
            ReceiptBatch.Move move = moves.get(i);
            ids[i] = move.id();
            statuses[i] = move.status().name();
            codes[i] = move.errorCode();
            reasons[i] = move.errorMessage();
            smsIds[i] = move.learnedSmsId();
        }
        return connection.preparedQuery(MOVE).execute(Tuple.from(List.of(now, ids, statuses, codes, reasons, smsIds)))
                .replaceWithVoid();
    }

    /** The receipts' fields as one array per column, the parameters of {@link #INSERT}. */
    private static final class Columns {
        final String[] provider, naturalKey, status, message, requestId, journeyId, oaId, costCurrency, costAmount, ext, raw,
                appId, zaloMessage, zaloSysMsg, zaloCusMsg, zaloMsgId, zaloSendingMode, unreadable;
        final Integer[] code, remainingQuota, dailyQuota, zaloError;
        final OffsetDateTime[] sentAt, providerTime, zaloSentAt;
        final UUID[] messageId, messageRef;

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
        }

        void set(int n, ReceiptBatch.Incoming incoming, UUID target) {
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
            messageRef[n] = target;
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
            unreadable[n] = receipt.unreadable().isEmpty() ? null
                    : ReceiptColumns.clip(String.join("; ", receipt.unreadable()), ReceiptColumns.UNREADABLE);
        }

        Tuple tuple(OffsetDateTime now) {
            return Tuple.from(List.of(now, provider, naturalKey, status, code, message, requestId, journeyId, oaId, sentAt,
                    costCurrency, costAmount, remainingQuota, dailyQuota, ext, raw, messageId, messageRef, appId, providerTime,
                    zaloError, zaloMessage, zaloSysMsg, zaloCusMsg, zaloMsgId, zaloSentAt, zaloSendingMode, unreadable));
        }

        private static OffsetDateTime utc(Instant instant) {
            return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
        }
    }
}
