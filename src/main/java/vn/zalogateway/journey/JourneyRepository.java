package vn.zalogateway.journey;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.paging.Filters;

@ApplicationScoped
public class JourneyRepository implements PanacheRepositoryBase<Journey, UUID> {

    /** The consumer's journey, or null: another consumer's is as unknown as one that does not exist. */
    Uni<Journey> findOwn(UUID id, UUID consumerId) {
        return find("id = ?1 and consumerId = ?2", id, consumerId).firstResult();
    }

    /** Newest first, after the cursor's id; {@code size} rows at most. */
    Uni<List<Journey>> page(JourneyFilter filter, UUID before, int size, Instant now) {
        JourneyStatus status = filter.status();
        // The consumer's own only: the index (consumer_id, id desc) serves this, newest first.
        Filters filters = new Filters()
                .and("consumerId = :consumerId", "consumerId", java.util.Objects.requireNonNull(filter.consumerId()))
                .and("oaId = :oaId", "oaId", filter.oaId())
                .and("phone = :phone", "phone", filter.phone());
        // EXPIRED is read, not stored: live tokens past their expiry; a live status means not yet expired.
        if (status == JourneyStatus.EXPIRED) {
            filters.and("status in :live", "live", JourneyStatus.LIVE).and("expiresAt <= :now", "now", now);
        } else if (status != null && JourneyStatus.LIVE.contains(status)) {
            filters.and("status = :status", "status", status).and("(expiresAt is null or expiresAt > :now)", "now", now);
        } else {
            filters.and("status = :status", "status", status);
        }
        return filters
                .and("id < :before", "before", before)
                .find(this, Sort.descending("id"))
                .range(0, size - 1)
                .list();
    }
}
