package vn.zalogateway.console;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.PhoneNumbers;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.ledger.ChargeItem;
import vn.zalogateway.ledger.Ledger;

/**
 * What the console reads, across every consumer (operators see them all). Each query is bounded by an
 * index (V13__console.sql) and a page size, so a page costs the same with a thousand messages or millions; the
 * fallback filter, which no index serves, by how many messages it looks at ({@link #FALLBACK_SCAN}).
 */
@ApplicationScoped
public class ConsoleQueries {

    public static final int PAGE = 50;
    /** How many messages one page of the fallback filter looks at, at most. */
    public static final int FALLBACK_SCAN = 10_000;

    public record StatusCount(String status, long count) {
    }

    public record Backlog(long messages, Instant oldestDue) {
    }

    /** An OA's latest quota, and its queue's hold: until when (null: not held) and how many messages wait held. */
    public record Quota(String oaId, Integer remaining, Integer daily, Instant at, Instant heldUntil, long heldMessages) {
    }

    public record Overview(List<StatusCount> last24Hours, Map<Instant, Long> deliveredPerMinute, Backlog backlog,
            long unmatchedReceipts, long invalidReceipts, long failedCallbacks, List<Quota> quotas) {
    }

    /** {@code fellBack}: only messages that fell back to an SMS (their SMS attempt was decided). */
    public record MessageFilter(UUID id, String ext, String userId, Long oaId, String status, LocalDate day, UUID consumerId,
            boolean fellBack, UUID batchId, UUID before) {
    }

    /** {@code smsStatus} is the SMS attempt's (null: no fallback), {@code channel} zalo or sms (null before anything left). */
    public record MessageRow(UUID id, String kind, String consumer, long oaId, String recipient, String templateType, String status,
            String ext, String errorCode, String smsStatus, String channel, Instant createdAt, Instant updatedAt) {
    }

    /**
     * A page of messages found; for the fallback filter, among at most {@link #FALLBACK_SCAN} messages of the search,
     * {@code scannedTo} the oldest one looked at when that many were (older ones remain to be searched), else null.
     */
    public record MessagePage(List<MessageRow> messages, UUID scannedTo, Instant scannedToAt) {
        /** How many messages a fallback search looks at, at most (for the page to say). */
        public int budget() {
            return FALLBACK_SCAN;
        }
    }

    /**
     * A message: the Zalo attempt ({@code zaloStatus}, the row's error, {@code zaloCost}), the SMS it asked for or
     * fell back to ({@code sms}, null when it asked for none), its send window and its OA quota hold.
     */
    public record MessageDetail(MessageRow row, String language, String zaloPayload, boolean sandbox, Instant sendAt,
            String providerMessageId, String errorMessage, int attempts, Instant submittedAt, Integer templateId,
            String templateData, BigDecimal feeMain, BigDecimal feeToken, UUID journeyId, String zaloStatus, String errorClass,
            String zaloCost, SmsAttempt sms, String windowFrom, String windowTo, Instant heldUntil, Instant dueAt, UUID consumerId, UUID batchId,
            String storedTemplateName, Integer storedTemplateVersion, Boolean templateChecked) {
    }

    /**
     * The SMS a message asked for, as accepted ({@code phone} masked), and its attempt once decided: {@code status}
     * null means it was not needed (yet); {@code cost} the charge of item sms (eSMS's TotalPrice).
     */
    public record SmsAttempt(String phone, String text, String brandname, boolean unicode, Integer parts, String after,
            String status, String reason, String providerMessageId, String errorCode, String errorMessage, String errorClass,
            Instant submittedAt, int attempts, String cost) {
    }

    /** {@code sms}: about a message's SMS fallback (eSMS's callback, TypeId 2), not its Zalo attempt. */
    public record ReceiptRow(long id, String provider, boolean valid, String problem, String status, Integer code, String message,
            String requestId, String journeyId, String oaId, BigDecimal cost, String currency, Integer remainingQuota,
            Integer zaloError, String zaloMessage, String ext, String rawBody, boolean applied, boolean sms, Instant receivedAt) {
    }

    /**
     * A callback: {@code eventStatus} (and {@code eventReason}, for message.fallback_sent) what it tells the consumer;
     * {@code status} whether it reached the consumer (PENDING, DELIVERED, FAILED), {@code deliveredAt} when.
     */
    public record CallbackRow(UUID id, String consumer, String eventType, UUID subjectId, int sequence, String eventStatus,
            String eventReason, String status, int attempts, Integer lastStatusCode, String lastError, Instant nextAttemptAt,
            Instant createdAt, Instant deliveredAt) {
    }

    public record CallbackAttempt(UUID eventId, int sequence, int attempt, Integer statusCode, String error, Instant answeredAt) {
    }

    public record JourneyFilter(String phone, Long oaId, String status, UUID consumerId, UUID before) {
    }

    public record JourneyRow(UUID id, String consumer, long oaId, String phone, String tokenType, String status,
            String providerStatus, String journeyId, boolean charged, Instant expiresAt, String errorCode, String errorMessage,
            Instant createdAt, Instant updatedAt) {
    }

    public record ConsumerRow(UUID id, String name, boolean allOas, List<Long> oaIds, String callbackUrl, Integer rateLimit,
            boolean builtIn, long pendingCallbacks, long failedCallbacks) {
    }

    public record ConsumerName(UUID id, String name) {
    }

    /**
     * A batch as the list shows it: its counts as accepted, and how many of its messages are final now (DELIVERED, FAILED,
     * CANCELLED), counted through the batch's index (messages_batch_idx).
     */
    public record BatchRow(UUID id, UUID consumerId, String consumer, String ext, int accepted, int rejected, long done,
            Instant createdAt) {
    }

    public record DayCost(LocalDate day, String oaId, String currency, BigDecimal amount, long charges) {
    }

    private static final String MESSAGE_COLUMNS = """
            m.id, m.kind, c.name as consumer, m.oa_id, coalesce(m.user_id, m.phone) as recipient,
            coalesce(m.template_type, 'zns ' || m.template_id) as template_type, m.status, m.ext, m.error_code, m.sms_status,
            m.channel, m.created_at, m.updated_at""";
    private static final String RECEIPT_COLUMNS = """
            id, provider, valid, problem, status, code, message, request_id, journey_id, oa_id, cost_amount, cost_currency,
            remaining_quota, zalo_error, zalo_message, ext, raw_body, applied_at is not null as applied, sms, received_at""";
    private static final String JOURNEY_COLUMNS = """
            j.id, c.name as consumer, j.oa_id, j.phone, j.token_type, j.status, j.provider_status, j.journey_id, j.charged,
            j.expires_at, j.error_code, j.error_message, j.created_at, j.updated_at""";

    private static final String CONSUMER_SELECT = """
            select c.*, (select count(*) from callback_events e where e.consumer_id = c.id and e.status = 'PENDING') as pending,
                (select count(*) from callback_events e where e.consumer_id = c.id and e.status = 'FAILED') as failed
            from consumers c""";

    private final Pool pool;
    private final Ledger ledger;
    private final ZoneId zone;

    ConsoleQueries(Pool pool, Ledger ledger, GatewayConfig config) {
        this.pool = pool;
        this.ledger = ledger;
        this.zone = config.timeZone();
    }

    public Uni<Overview> overview() {
        // Bounds are written with now(), not passed as parameters: PostgreSQL plans a prepared statement once
        // for any parameter, and for "since $1" it would assume a third of the table. One index-only count per status.
        Uni<List<StatusCount>> statuses = rows("""
                select s.status, (select count(*) from messages m where m.status = s.status and m.id >= %s) as n
                from unnest(array['ACCEPTED', 'SCHEDULED', 'SUBMITTED', 'SENT', 'DELIVERED', 'FAILED', 'UNCONFIRMED', 'CANCELLED']) s(status)
                """.formatted(firstIdSince("interval '24 hours'")), Tuple.tuple(),
                row -> new StatusCount(row.getString("status"), row.getLong("n")))
                .map(counts -> counts.stream().filter(count -> count.count() > 0).toList());
        Uni<Map<Instant, Long>> delivered = pool.preparedQuery("""
                select date_trunc('minute', updated_at) as minute, count(*) as n from messages
                where status = 'DELIVERED' and updated_at >= date_trunc('minute', now()) - interval '59 minutes' group by 1""")
                .execute()
                .map(rows -> {
                    Map<Instant, Long> perMinute = new LinkedHashMap<>();
                    rows.forEach(row -> perMinute.put(instant(row, "minute"), row.getLong("n")));
                    return perMinute;
                });
        Uni<Backlog> backlog = one("select count(*) as n, min(due_at) as oldest from messages where status in ('ACCEPTED', 'SCHEDULED')",
                Tuple.tuple(), row -> new Backlog(row.getLong("n"), instant(row, "oldest")));
        Uni<long[]> receipts = one("""
                select count(*) filter (where valid) as unmatched, count(*) filter (where not valid) as invalid
                from receipts where applied_at is null""", Tuple.tuple(),
                row -> new long[] { row.getLong("unmatched"), row.getLong("invalid") });
        Uni<Long> failedCallbacks = one("select count(*) as n from callback_events where status = 'FAILED'", Tuple.tuple(),
                row -> row.getLong("n"));
        // Each OA's latest quota, as the ledger keeps it (from receipts matched to their messages, and providers' answers),
        // and its hold: oa_held_until() (the dispatcher's own definition) and the messages waiting held (messages_held_idx).
        Uni<List<Quota>> quotas = ledger.quotas(100).chain(known -> holds(known.stream().map(Ledger.Quota::oaId).toList())
                .map(holds -> known.stream().map(quota -> {
                    Hold hold = holds.getOrDefault(quota.oaId(), new Hold(quota.oaId(), null, 0));
                    return new Quota(Long.toString(quota.oaId()), quota.remainingQuota(), quota.dailyQuota(), quota.reportedAt(),
                            hold.until(), hold.messages());
                }).toList()));
        return Uni.combine().all().unis(statuses, delivered, backlog, receipts, failedCallbacks, quotas).asTuple()
                .map(all -> new Overview(all.getItem1(), all.getItem2(), all.getItem3(), all.getItem4()[0], all.getItem4()[1],
                        all.getItem5(), all.getItem6()));
    }

    private record Hold(long oaId, Instant until, long messages) {
    }

    /** Each OA's hold: until when (null: not held), and how many of its messages wait held. */
    private Uni<Map<Long, Hold>> holds(List<Long> oaIds) {
        if (oaIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return rows("""
                select o.oa_id, oa_held_until(o.oa_id) as held_until,
                    (select count(*) from messages m
                     where m.oa_id = o.oa_id and m.held_until is not null and m.status in ('ACCEPTED', 'SCHEDULED')) as held
                from unnest($1::bigint[]) o(oa_id)""", Tuple.of(oaIds.toArray(Long[]::new)),
                row -> new Hold(row.getLong("oa_id"), instant(row, "held_until"), row.getLong("held")))
                .map(holds -> holds.stream().collect(java.util.stream.Collectors.toMap(Hold::oaId, hold -> hold)));
    }

    /** A page of messages, newest first, matching every filter given; one more than a page tells that another follows. */
    public Uni<List<MessageRow>> messages(MessageFilter filter) {
        List<Object> parameters = new ArrayList<>();
        String where = where(filter, parameters);
        parameters.add(PAGE + 1);
        return rows("select " + MESSAGE_COLUMNS + " from messages m join consumers c on c.id = m.consumer_id where " + where
                + " order by m.id desc limit $" + parameters.size(), Tuple.from(parameters), ConsoleQueries::messageRow);
    }

    /**
     * A page of the messages that fell back, newest first, among the newest {@link #FALLBACK_SCAN} messages matching the
     * other filters (no index knows which messages fell back, so the scan has a budget instead, and the page says how far
     * it looked); one more than a page tells that another follows.
     */
    public Uni<MessagePage> fallbacks(MessageFilter filter) {
        List<Object> parameters = new ArrayList<>();
        String where = where(filter, parameters);
        parameters.add(FALLBACK_SCAN);
        parameters.add(PAGE + 1);
        int scan = parameters.size() - 1;
        return pool.preparedQuery("""
                with scanned as materialized (
                    select %s from messages m join consumers c on c.id = m.consumer_id where %s order by m.id desc limit $%d)
                select f.*, s.scanned, s.oldest
                from (select (select count(*) from scanned) as scanned, (select id from scanned order by id limit 1) as oldest) s
                left join lateral (select * from scanned where sms_status is not null order by id desc limit $%d) f on true
                order by f.id desc""".formatted(MESSAGE_COLUMNS, where, scan, scan + 1))
                .execute(Tuple.from(parameters)).map(rows -> {
                    List<MessageRow> found = new ArrayList<>();
                    UUID oldest = null;
                    long scanned = 0;
                    for (Row row : rows) {
                        scanned = row.getLong("scanned");
                        oldest = row.getUUID("oldest");
                        if (row.getUUID("id") != null) {
                            found.add(messageRow(row));
                        }
                    }
                    boolean more = scanned == FALLBACK_SCAN;
                    return new MessagePage(found, more ? oldest : null, more ? createdAt(oldest) : null);
                });
    }

    private String where(MessageFilter filter, List<Object> parameters) {
        StringBuilder where = new StringBuilder("true");
        condition(where, parameters, "m.id = $", filter.id());
        condition(where, parameters, "m.ext = $", filter.ext());
        condition(where, parameters, "m.user_id = $", filter.userId());
        condition(where, parameters, "m.oa_id = $", filter.oaId());
        condition(where, parameters, "m.status = $", filter.status());
        condition(where, parameters, "m.consumer_id = $", filter.consumerId());
        condition(where, parameters, "m.batch_id = $", filter.batchId());
        condition(where, parameters, "m.id < $", filter.before());
        if (filter.day() != null) {
            condition(where, parameters, "m.id >= $", Ids.firstAt(filter.day().atStartOfDay(zone).toInstant()));
            condition(where, parameters, "m.id < $", Ids.firstAt(filter.day().plusDays(1).atStartOfDay(zone).toInstant()));
        }
        return where.toString();
    }

    public Uni<MessageDetail> message(UUID id) {
        return one("select " + MESSAGE_COLUMNS + """
                , m.language, m.zalo_payload, m.sandbox, m.send_at, m.provider_message_id, m.error_message, m.error_class,
                m.attempts, m.submitted_at, m.template_id, m.template_data, m.journey_ref, m.zalo_status, m.fallback_phone,
                m.fallback_text, m.fallback_brandname, m.fallback_unicode, m.fallback_parts, m.fallback_after_ms, m.sms_reason,
                m.sms_provider_message_id, m.sms_error_code, m.sms_error_message, m.sms_error_class, m.sms_submitted_at,
                m.sms_attempts, to_char(m.window_from, 'HH24:MI') as window_from, to_char(m.window_to, 'HH24:MI') as window_to,
                m.held_until, m.due_at, m.consumer_id, m.batch_id, m.stored_template_name, m.stored_template_version, m.template_checked
                from messages m join consumers c on c.id = m.consumer_id where m.id = $1""", Tuple.of(id),
                row -> row).chain(row -> row == null ? Uni.createFrom().nullItem() : ledger.costsOf(List.of(id)).map(costs -> {
                    Ledger.MessageCost cost = costs.get(id);
                    return new MessageDetail(messageRow(row), row.getString("language"), row.getString("zalo_payload"),
                            row.getBoolean("sandbox"), instant(row, "send_at"), row.getString("provider_message_id"),
                            row.getString("error_message"), row.getInteger("attempts"), instant(row, "submitted_at"),
                            row.getInteger("template_id"), row.getString("template_data"), cost == null ? null : cost.feeMain(),
                            cost == null ? null : cost.feeToken(), row.getUUID("journey_ref"), row.getString("zalo_status"),
                            row.getString("error_class"), line(cost, ChargeItem.MESSAGE), smsAttempt(row, line(cost, ChargeItem.SMS)),
                            row.getString("window_from"), row.getString("window_to"), instant(row, "held_until"), instant(row, "due_at"),
                            row.getUUID("consumer_id"), row.getUUID("batch_id"), row.getString("stored_template_name"), row.getInteger("stored_template_version"),
                            row.getBoolean("template_checked"));
                }));
    }

    /** The SMS the message asked for and its attempt, or null when it asked for none. */
    private static SmsAttempt smsAttempt(Row row, String cost) {
        if (row.getString("fallback_text") == null) {
            return null;
        }
        Long afterMs = row.getLong("fallback_after_ms");
        Short parts = row.getShort("fallback_parts");
        return new SmsAttempt(PhoneNumbers.mask(row.getString("fallback_phone")), row.getString("fallback_text"),
                row.getString("fallback_brandname"), Boolean.TRUE.equals(row.getBoolean("fallback_unicode")),
                parts == null ? null : parts.intValue(), afterMs == null ? null : Duration.ofMillis(afterMs).toString(),
                row.getString("sms_status"), row.getString("sms_reason"), row.getString("sms_provider_message_id"),
                row.getString("sms_error_code"), row.getString("sms_error_message"), row.getString("sms_error_class"),
                instant(row, "sms_submitted_at"), row.getInteger("sms_attempts"), cost);
    }

    /** One item's charge as the page writes it ({@code 350 VND}), or null. */
    private static String line(Ledger.MessageCost cost, ChargeItem item) {
        Ledger.Line line = cost == null ? null : cost.line(item);
        return line == null ? null : ConsoleFormat.plain(line.amount()) + " " + line.currency();
    }

    public Uni<List<ReceiptRow>> receiptsOf(UUID messageId) {
        return rows("select " + RECEIPT_COLUMNS + " from receipts where message_ref = $1 order by received_at, id limit 200",
                Tuple.of(messageId), ConsoleQueries::receiptRow);
    }

    public Uni<List<CallbackRow>> callbacksOf(UUID subjectId) {
        return rows(callbackSelect() + " where e.subject_id = $1 order by e.sequence limit 200", Tuple.of(subjectId),
                ConsoleQueries::callbackRow);
    }

    /** Every delivery attempt of the callbacks about a message or journey, in the order they were answered. */
    public Uni<List<CallbackAttempt>> callbackAttemptsOf(UUID subjectId) {
        return rows("""
                select a.event_id, e.sequence, a.attempt, a.status_code, a.error, a.answered_at
                from callback_events e join callback_attempts a on a.event_id = e.id
                where e.subject_id = $1 order by a.answered_at, a.attempt limit 500""", Tuple.of(subjectId),
                row -> new CallbackAttempt(row.getUUID("event_id"), row.getInteger("sequence"), row.getInteger("attempt"),
                        row.getInteger("status_code"), row.getString("error"), instant(row, "answered_at")));
    }

    /** Receipts never applied: unmatched (valid, waiting for their message) or invalid; newest first. */
    public Uni<List<ReceiptRow>> receiptsNotApplied(boolean valid, Long before) {
        return rows("select " + RECEIPT_COLUMNS + """
                 from receipts where applied_at is null and valid = $1 and ($2::bigint is null or id < $2)
                order by id desc limit $3""", Tuple.of(valid, before, PAGE + 1), ConsoleQueries::receiptRow);
    }

    public Uni<List<JourneyRow>> journeys(JourneyFilter filter) {
        List<Object> parameters = new ArrayList<>();
        StringBuilder where = new StringBuilder("true");
        condition(where, parameters, "j.phone = $", filter.phone());
        condition(where, parameters, "j.oa_id = $", filter.oaId());
        condition(where, parameters, "j.status = $", filter.status());
        condition(where, parameters, "j.consumer_id = $", filter.consumerId());
        condition(where, parameters, "j.id < $", filter.before());
        parameters.add(PAGE + 1);
        return rows("select " + JOURNEY_COLUMNS + " from journeys j join consumers c on c.id = j.consumer_id where " + where
                + " order by j.id desc limit $" + parameters.size(), Tuple.from(parameters), ConsoleQueries::journeyRow);
    }

    public Uni<JourneyRow> journey(UUID id) {
        return one("select " + JOURNEY_COLUMNS + " from journeys j join consumers c on c.id = j.consumer_id where j.id = $1",
                Tuple.of(id), ConsoleQueries::journeyRow);
    }

    public Uni<List<MessageRow>> messagesOfJourney(UUID journeyId) {
        return rows("select " + MESSAGE_COLUMNS + " from messages m join consumers c on c.id = m.consumer_id "
                + "where m.journey_ref = $1 order by m.id desc limit 200", Tuple.of(journeyId), ConsoleQueries::messageRow);
    }

    /** Every consumer's id and name, for the search forms' choice of consumer. */
    public Uni<List<ConsumerName>> consumerNames() {
        return rows("select id, name from consumers order by built_in desc, name", Tuple.tuple(),
                row -> new ConsumerName(row.getUUID("id"), row.getString("name")));
    }

    /** Every consumer with its callbacks still to deliver and those that failed. */
    public Uni<List<ConsumerRow>> consumers() {
        return rows(CONSUMER_SELECT + " order by c.built_in desc, c.name", Tuple.tuple(), ConsoleQueries::consumerRow);
    }

    private static ConsumerRow consumerRow(Row row) {
        return new ConsumerRow(row.getUUID("id"), row.getString("name"), row.getBoolean("all_oas"),
                Arrays.asList(row.getArrayOfLongs("oa_ids")), row.getString("callback_url"), row.getInteger("rate_limit_per_second"),
                row.getBoolean("built_in"), row.getLong("pending"), row.getLong("failed"));
    }

    public Uni<ConsumerRow> consumer(UUID id) {
        return one(CONSUMER_SELECT + " where c.id = $1", Tuple.of(id), ConsoleQueries::consumerRow);
    }

    /** A consumer's callback deliveries, newest first. */
    public Uni<List<CallbackRow>> deliveries(UUID consumerId, String status, UUID before) {
        return rows(callbackSelect() + """
                 where e.consumer_id = $1 and ($2::text is null or e.status = $2) and ($3::uuid is null or e.id < $3)
                order by e.id desc limit $4""", Tuple.from(Arrays.asList(consumerId, status, before, PAGE + 1)),
                ConsoleQueries::callbackRow);
    }

    /**
     * A page of batches, newest first (their ids are time-ordered: the primary key serves the order), of one consumer or of
     * all; one more than a page tells that another follows. The batches table is the batch package's: read only here.
     */
    public Uni<List<BatchRow>> batches(UUID consumerId, UUID before) {
        return rows("""
                select b.id, b.consumer_id, c.name as consumer, b.ext, b.accepted, b.rejected, b.created_at,
                    (select count(*) from messages m where m.batch_id = b.id and m.status in ('DELIVERED', 'FAILED', 'CANCELLED')) as done
                from batches b join consumers c on c.id = b.consumer_id
                where ($1::uuid is null or b.consumer_id = $1) and ($2::uuid is null or b.id < $2)
                order by b.id desc limit $3""", Tuple.from(Arrays.asList(consumerId, before, PAGE + 1)),
                row -> new BatchRow(row.getUUID("id"), row.getUUID("consumer_id"), row.getString("consumer"), row.getString("ext"),
                        row.getInteger("accepted"), row.getInteger("rejected"), row.getLong("done"), instant(row, "created_at")));
    }

    /** Whose batch it is (its consumer's id and name), or null when there is no such batch. */
    public Uni<ConsumerName> batchOwner(UUID batchId) {
        return one("select c.id, c.name from batches b join consumers c on c.id = b.consumer_id where b.id = $1", Tuple.of(batchId),
                row -> new ConsumerName(row.getUUID("id"), row.getString("name")));
    }

    /** What each OA was charged per day over the last {@code days} days, today included, as the ledger has it. */
    public Uni<List<DayCost>> costs(int days) {
        return ledger.costsPerDay(days, zone).map(costs -> costs.stream().map(cost -> new DayCost(cost.day(),
                Long.toString(cost.oaId()), cost.currency(), cost.amount(), cost.charges())).toList());
    }

    /** When a message id (a UUIDv7: its first 48 bits are the milliseconds since the epoch) was made. */
    private static Instant createdAt(UUID id) {
        return id == null ? null : Instant.ofEpochMilli(id.getMostSignificantBits() >>> 16);
    }

    /** The smallest message id (time-ordered) made since that long ago, as SQL. */
    private static String firstIdSince(String interval) {
        return "encode(substring(int8send((extract(epoch from now() - " + interval + ") * 1000)::bigint) from 3) "
                + "|| '\\x00000000000000000000'::bytea, 'hex')::uuid";
    }

    private static String callbackSelect() {
        return """
                select e.id, c.name as consumer, e.event_type, e.subject_id, e.sequence, e.data ->> 'status' as event_status,
                    e.data ->> 'reason' as event_reason, e.status, e.attempts, e.last_status_code, e.last_error, e.next_attempt_at,
                    e.created_at, e.delivered_at
                from callback_events e join consumers c on c.id = e.consumer_id""";
    }

    private static void condition(StringBuilder where, List<Object> parameters, String sql, Object value) {
        if (value != null) {
            parameters.add(value);
            where.append(" and ").append(sql).append(parameters.size());
        }
    }

    private <T> Uni<List<T>> rows(String sql, Tuple parameters, Function<Row, T> mapper) {
        return pool.preparedQuery(sql).execute(parameters).map(rows -> {
            List<T> list = new ArrayList<>();
            rows.forEach(row -> list.add(mapper.apply(row)));
            return list;
        });
    }

    private <T> Uni<T> one(String sql, Tuple parameters, Function<Row, T> mapper) {
        return pool.preparedQuery(sql).execute(parameters).map((RowSet<Row> rows) -> {
            var iterator = rows.iterator();
            return iterator.hasNext() ? mapper.apply(iterator.next()) : null;
        });
    }

    private static MessageRow messageRow(Row row) {
        return new MessageRow(row.getUUID("id"), row.getString("kind"), row.getString("consumer"), row.getLong("oa_id"),
                row.getString("recipient"), row.getString("template_type"), row.getString("status"), row.getString("ext"),
                row.getString("error_code"), row.getString("sms_status"), row.getString("channel"), instant(row, "created_at"),
                instant(row, "updated_at"));
    }

    private static ReceiptRow receiptRow(Row row) {
        return new ReceiptRow(row.getLong("id"), row.getString("provider"), row.getBoolean("valid"), row.getString("problem"),
                row.getString("status"), row.getInteger("code"), row.getString("message"), row.getString("request_id"),
                row.getString("journey_id"), row.getString("oa_id"), row.getBigDecimal("cost_amount"),
                row.getString("cost_currency"), row.getInteger("remaining_quota"), row.getInteger("zalo_error"),
                row.getString("zalo_message"), row.getString("ext"), row.getString("raw_body"), row.getBoolean("applied"),
                row.getBoolean("sms"), instant(row, "received_at"));
    }

    private static CallbackRow callbackRow(Row row) {
        return new CallbackRow(row.getUUID("id"), row.getString("consumer"), row.getString("event_type"), row.getUUID("subject_id"),
                row.getInteger("sequence"), row.getString("event_status"), row.getString("event_reason"), row.getString("status"),
                row.getInteger("attempts"), row.getInteger("last_status_code"),
                row.getString("last_error"), instant(row, "next_attempt_at"), instant(row, "created_at"), instant(row, "delivered_at"));
    }

    private static JourneyRow journeyRow(Row row) {
        return new JourneyRow(row.getUUID("id"), row.getString("consumer"), row.getLong("oa_id"), row.getString("phone"),
                row.getString("token_type"), row.getString("status"), row.getString("provider_status"), row.getString("journey_id"),
                row.getBoolean("charged"), instant(row, "expires_at"), row.getString("error_code"), row.getString("error_message"),
                instant(row, "created_at"), instant(row, "updated_at"));
    }

    private static Instant instant(Row row, String column) {
        var value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
