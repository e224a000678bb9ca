package vn.zalogateway.ledger;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The ledger: every charge and every OA's latest quota, recorded once where the gateway learns them, and
 * read by everyone who shows them (the message resource, status callbacks through {@code message_cost()},
 * {@code /v1/reports/costs}, {@code /v1/oas/{oa_id}/quota}, the console). The only writer of
 * {@code charges}, {@code oa_quotas} and the console's hourly sums. Writes take the caller's connection, so a
 * charge commits with the receipt or the answer that told it.
 */
@ApplicationScoped
public class Ledger {

    /** A message's cost: its total ({@code currency} and {@code amount}, or {@code totals} when in several currencies), and its parts. */
    public record MessageCost(String currency, BigDecimal amount, List<Total> totals, List<Line> lines) {

        /** eTelecom's fee for sending the message, when eTelecom said it. */
        public BigDecimal feeMain() {
            return lines.stream().filter(line -> line.item() == ChargeItem.MESSAGE && "etelecom".equals(line.provider()))
                    .map(Line::amount).findFirst().orElse(null);
        }

        /**
         * The journey token's charge that came with this message (its token's first message only); zero for a later
         * message of the token that eTelecom charged (its answer's fee_token was 0).
         */
        public BigDecimal feeToken() {
            return lines.stream().filter(line -> line.item() == ChargeItem.JOURNEY_TOKEN).map(Line::amount).findFirst()
                    .orElse(feeMain() == null ? null : BigDecimal.ZERO);
        }

        /** The charge of one item (e.g. the SMS), or null. */
        public Line line(ChargeItem item) {
            return lines.stream().filter(line -> line.item() == item).findFirst().orElse(null);
        }
    }

    /** One charge as a message shows it. */
    public record Line(ChargeItem item, String provider, String currency, BigDecimal amount) {
    }

    /** A sum in one currency; {@code charges} how many charges made it. */
    public record Total(String currency, BigDecimal amount, long charges) {
    }

    /**
     * An OA's latest known quota; {@code heldUntil} when a quota of 0 holds its queue (until the daily reset);
     * {@code source} where the reading came from ({@code receipt} or {@code provider}).
     */
    public record Quota(long oaId, int remainingQuota, Integer dailyQuota, Instant reportedAt, Instant heldUntil, String source) {
    }

    private final Pool pool;

    Ledger(Pool pool) {
        this.pool = pool;
    }

    // --- writes: with the caller's connection (its transaction) ------------------------------------------

    /**
     * Records each charge once per subject and item: the first told, until the provider of record (the one that
     * bills it) tells; its report then replaces a stand-in, and nothing replaces it.
     */
    public Uni<Void> record(SqlClient client, List<Charge> charges) {
        if (charges.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int size = charges.size();
        UUID[] consumers = new UUID[size];
        Long[] oas = new Long[size];
        UUID[] subjects = new UUID[size];
        String[] items = new String[size];
        UUID[] messages = new UUID[size];
        String[] providers = new String[size];
        String[] sources = new String[size];
        String[] currencies = new String[size];
        String[] amounts = new String[size];
        Boolean[] ofRecord = new Boolean[size];
        for (int i = 0; i < size; i++) {
            Charge charge = charges.get(i);
            consumers[i] = charge.consumerId();
            oas[i] = charge.oaId();
            subjects[i] = charge.subjectId();
            items[i] = charge.item().wireName();
            messages[i] = charge.messageId();
            providers[i] = charge.provider();
            sources[i] = charge.source().wireName();
            currencies[i] = charge.currency();
            // Decimals travel as text: exact, and the client's array codecs need no numeric type of their own.
            amounts[i] = charge.amount().toPlainString();
            ofRecord[i] = charge.ofRecord();
        }
        return client.preparedQuery("""
                insert into charges (consumer_id, oa_id, subject_id, item, message_id, provider, source, currency, amount, occurred_at,
                    of_record)
                select distinct on (c.subject_id, c.item) c.consumer_id, c.oa_id, c.subject_id, c.item, c.message_id, c.provider,
                    c.source, c.currency, c.amount::numeric, now(), c.of_record
                from unnest($1::uuid[], $2::bigint[], $3::uuid[], $4::varchar[], $5::uuid[], $6::varchar[], $7::varchar[],
                    $8::varchar[], $9::text[], $10::boolean[])
                    as c(consumer_id, oa_id, subject_id, item, message_id, provider, source, currency, amount, of_record)
                order by c.subject_id, c.item, c.of_record desc
                on conflict (subject_id, item) do update set provider = excluded.provider, source = excluded.source,
                    currency = excluded.currency, amount = excluded.amount, occurred_at = excluded.occurred_at,
                    message_id = coalesce(charges.message_id, excluded.message_id), of_record = true
                where excluded.of_record and not charges.of_record""")
                .execute(Tuple.from(List.of(consumers, oas, subjects, items, messages, providers, sources, currencies, amounts,
                        ofRecord)))
                .replaceWithVoid();
    }

    /** Keeps each OA's newest reading: an older report arriving late never replaces a newer one. */
    public Uni<Void> noteQuotas(SqlClient client, List<QuotaReading> readings) {
        // The newest reading of each OA in the batch, so one statement never touches an OA twice.
        Map<Long, QuotaReading> newest = new HashMap<>();
        for (QuotaReading reading : readings) {
            newest.merge(reading.oaId(), reading, (a, b) -> b.reportedAt().isAfter(a.reportedAt()) ? b : a);
        }
        if (newest.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<QuotaReading> sorted = newest.values().stream().sorted((a, b) -> Long.compare(a.oaId(), b.oaId())).toList();
        int size = sorted.size();
        Long[] oas = new Long[size];
        Integer[] remaining = new Integer[size];
        Integer[] daily = new Integer[size];
        OffsetDateTime[] at = new OffsetDateTime[size];
        String[] sources = new String[size];
        for (int i = 0; i < size; i++) {
            QuotaReading reading = sorted.get(i);
            oas[i] = reading.oaId();
            remaining[i] = reading.remainingQuota();
            daily[i] = reading.dailyQuota();
            at[i] = reading.reportedAt().atOffset(ZoneOffset.UTC);
            sources[i] = reading.source().wireName();
        }
        return client.preparedQuery("""
                insert into oa_quotas (oa_id, remaining_quota, daily_quota, reported_at, source)
                select * from unnest($1::bigint[], $2::int[], $3::int[], $4::timestamptz[], $5::varchar[])
                on conflict (oa_id) do update set remaining_quota = excluded.remaining_quota,
                    daily_quota = coalesce(excluded.daily_quota, oa_quotas.daily_quota),
                    reported_at = excluded.reported_at, source = excluded.source
                where excluded.reported_at >= oa_quotas.reported_at""")
                .execute(Tuple.of(oas, remaining, daily, at, sources))
                .replaceWithVoid();
    }

    // --- reads -----------------------------------------------------------------------------------------

    /** The cost of each message that has one (messages without a charge are absent). */
    public Uni<Map<UUID, MessageCost>> costsOf(List<UUID> messageIds) {
        if (messageIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("""
                select c.message_id, c.item, c.provider, c.currency, c.amount, t.cost
                from charges c cross join lateral (select message_cost(c.message_id) as cost) t
                where c.message_id = any($1) order by c.message_id, c.id""")
                .execute(Tuple.of(messageIds.toArray(UUID[]::new)))
                .map(rows -> {
                    Map<UUID, JsonObject> totals = new HashMap<>();
                    Map<UUID, List<Line>> lines = new HashMap<>();
                    for (Row row : rows) {
                        UUID id = row.getUUID("message_id");
                        totals.putIfAbsent(id, (JsonObject) row.getValue("cost"));
                        lines.computeIfAbsent(id, key -> new ArrayList<>()).add(new Line(
                                ChargeItem.fromWireName(row.getString("item")), row.getString("provider"), row.getString("currency"),
                                row.getBigDecimal("amount")));
                    }
                    Map<UUID, MessageCost> costs = new HashMap<>();
                    lines.forEach((id, itsLines) -> costs.put(id, messageCost(totals.get(id), itsLines)));
                    return costs;
                });
    }

    private static MessageCost messageCost(JsonObject total, List<Line> lines) {
        if (total.containsKey("totals")) {
            JsonArray each = total.getJsonArray("totals");
            List<Total> totals = new ArrayList<>();
            for (int i = 0; i < each.size(); i++) {
                JsonObject one = each.getJsonObject(i);
                totals.add(new Total(one.getString("currency"), new BigDecimal(one.getValue("amount").toString()),
                        lines.stream().filter(line -> line.currency().equals(one.getString("currency"))).count()));
            }
            return new MessageCost(null, null, totals, List.copyOf(lines));
        }
        return new MessageCost(total.getString("currency"), new BigDecimal(total.getValue("amount").toString()), List.of(),
                List.copyOf(lines));
    }

    /**
     * Totals per currency of the consumer's charges learned between {@code from} (inclusive) and {@code to}
     * (exclusive), of one OA or all; each charge counts once.
     */
    public Uni<List<Total>> totals(UUID consumerId, Instant from, Instant to, Long oaId) {
        return pool.preparedQuery("""
                select currency, sum(amount) as amount, count(*) as charges from charges
                where consumer_id = $1 and occurred_at >= coalesce($2, '-infinity'::timestamptz)
                  and occurred_at < coalesce($3, 'infinity'::timestamptz) and ($4::bigint is null or oa_id = $4)
                group by currency order by currency""")
                .execute(Tuple.of(consumerId, utc(from), utc(to), oaId))
                .map(rows -> {
                    List<Total> totals = new ArrayList<>();
                    rows.forEach(row -> totals.add(new Total(row.getString("currency"), row.getBigDecimal("amount"),
                            row.getLong("charges"))));
                    return totals;
                });
    }

    /** What one OA was charged in one currency on one day (in the console's time zone). */
    public record DayCost(java.time.LocalDate day, long oaId, String currency, BigDecimal amount, long charges) {
    }

    /**
     * Charges per OA and day over the last {@code days} days, today included, days in {@code zone}. Hours that
     * ended (a minute ago, so that no charge of theirs is still being committed) are summed once into
     * oa_hour_costs the first time they are asked for, each from its own range of the occurred_at index; the
     * hour under way is summed live.
     */
    public Uni<List<DayCost>> costsPerDay(int days, java.time.ZoneId zone) {
        String tz = "'" + zone.getId() + "'"; // a ZoneId from configuration: letters, '/', '_', '+', '-'
        String since = "(date_trunc('day', now() at time zone " + tz + ") - interval '" + (days - 1) + " days') at time zone " + tz;
        String settled = "date_trunc('hour', now() - interval '1 minute')";
        return pool.preparedQuery("""
                select array_agg(h) as missing from generate_series(%s, %s - interval '1 hour', interval '1 hour') h
                where not exists (select 1 from cost_hours c where c.hour = h)""".formatted(since, settled)).execute()
                .chain(rows -> {
                    OffsetDateTime[] missing = rows.iterator().next().getArrayOfOffsetDateTimes("missing");
                    return missing == null || missing.length == 0 ? Uni.createFrom().voidItem() : sumHours(missing);
                })
                .chain(() -> pool.preparedQuery("""
                        select (hour at time zone %1$s)::date as day, oa_id, currency, sum(amount) as amount, sum(charges) as charges
                        from (select hour, oa_id, currency, amount, charges from oa_hour_costs where hour >= %2$s and hour < %3$s
                              union all
                              select %3$s, oa_id, currency, sum(amount), count(*) from charges
                              where occurred_at >= %3$s group by oa_id, currency) hours
                        group by 1, 2, 3 order by 1, 2, 3""".formatted(tz, since, settled)).execute())
                .map(rows -> {
                    List<DayCost> costs = new ArrayList<>();
                    rows.forEach(row -> costs.add(new DayCost(row.getLocalDate("day"), row.getLong("oa_id"),
                            row.getString("currency"), row.getBigDecimal("amount"), row.getLong("charges"))));
                    return costs;
                });
    }

    /** Sums ended hours once: whoever marks an hour first sums it (another replica's mark waits for its commit). */
    private Uni<Void> sumHours(OffsetDateTime[] hours) {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                with marked as (insert into cost_hours (hour) select unnest($1::timestamptz[]) on conflict do nothing returning hour)
                insert into oa_hour_costs (hour, oa_id, currency, amount, charges)
                select m.hour, c.oa_id, c.currency, sum(c.amount), count(*)
                from marked m cross join lateral (
                    select oa_id, currency, amount from charges
                    where occurred_at >= m.hour and occurred_at < m.hour + interval '1 hour') c
                group by m.hour, c.oa_id, c.currency""").execute(Tuple.of(hours))).replaceWithVoid();
    }

    /** The OA's latest known quota, or null when none was ever reported. */
    public Uni<Quota> quota(long oaId) {
        return pool.preparedQuery("select *, oa_held_until(oa_id) as held_until from oa_quotas where oa_id = $1").execute(Tuple.of(oaId))
                .map(rows -> rows.size() == 0 ? null : quota(rows.iterator().next()));
    }

    /** The latest quota of the first {@code most} OAs (by id). */
    public Uni<List<Quota>> quotas(int most) {
        return pool.preparedQuery("select *, oa_held_until(oa_id) as held_until from oa_quotas order by oa_id limit $1").execute(Tuple.of(most))
                .map(rows -> {
                    List<Quota> quotas = new ArrayList<>();
                    rows.forEach(row -> quotas.add(quota(row)));
                    return quotas;
                });
    }

    private static Quota quota(Row row) {
        OffsetDateTime heldUntil = row.getOffsetDateTime("held_until");
        return new Quota(row.getLong("oa_id"), row.getInteger("remaining_quota"), row.getInteger("daily_quota"),
                row.getOffsetDateTime("reported_at").toInstant(), heldUntil == null ? null : heldUntil.toInstant(),
                row.getString("source"));
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }
}
