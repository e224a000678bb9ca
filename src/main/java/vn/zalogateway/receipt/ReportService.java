package vn.zalogateway.receipt;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.Timestamps;

/** What receipts tell about an OA: its Zalo quota, and what messages and journeys cost. */
@ApplicationScoped
public class ReportService {

    /** The quota the latest receipt for the OA reported. */
    public record Quota(long oaId, int remainingQuota, int dailyQuota, Instant reportedAt) {
    }

    /** The cost of what receipts charged, in one currency. */
    public record CostTotal(String currency, BigDecimal amount, long charges) {
    }

    @WithSession
    public Uni<Quota> quota(long oaId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select r.remaining_quota, r.daily_quota, r.received_at
                from receipts r
                left join messages m on m.id = r.message_ref
                left join journeys j on j.id = r.journey_ref
                where r.remaining_quota is not null and coalesce(m.oa_id, j.oa_id) = :oa
                order by r.received_at desc, r.id desc
                limit 1""", Object[].class).setParameter("oa", oaId).getResultList())
                .map(rows -> rows.isEmpty() ? null
                        : new Quota(oaId, (Integer) rows.get(0)[0], (Integer) rows.get(0)[1], Timestamps.instantOf(rows.get(0)[2])));
    }

    /**
     * Totals per currency of what the consumer's messages and journeys were charged between {@code from} (inclusive) and {@code to}
     * (exclusive). A message or journey counts once, at its latest receipt that carried a cost.
     */
    @WithSession
    public Uni<List<CostTotal>> costs(java.util.UUID consumerId, Instant from, Instant to, Long oaId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("""
                select currency, sum(amount), count(*) from (
                    select distinct on (coalesce(r.message_ref::text, r.journey_ref::text, r.id::text))
                        r.cost_currency as currency, r.cost_amount as amount, coalesce(m.oa_id, j.oa_id) as oa_id,
                        r.received_at
                    from receipts r
                    left join messages m on m.id = r.message_ref
                    left join journeys j on j.id = r.journey_ref
                    where r.cost_amount is not null and coalesce(m.consumer_id, j.consumer_id) = :consumer
                    order by coalesce(r.message_ref::text, r.journey_ref::text, r.id::text), r.received_at desc, r.id desc
                ) charged
                where (cast(:from as timestamptz) is null or received_at >= :from)
                  and (cast(:to as timestamptz) is null or received_at < :to)
                  and (cast(:oa as bigint) is null or oa_id = :oa)
                group by currency order by currency""", Object[].class)
                .setParameter("from", from).setParameter("to", to).setParameter("oa", oaId).setParameter("consumer", consumerId)
                .getResultList())
                .map(rows -> rows.stream().map(row -> new CostTotal((String) row[0], (BigDecimal) row[1],
                        ((Number) row[2]).longValue())).toList());
    }
}
