package vn.zalogateway.message;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.paging.Filters;

@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<Message, UUID> {

    /** Newest first, after the cursor's id; {@code size} rows at most. */
    Uni<List<Message>> page(MessageFilter filter, UUID before, int size) {
        // The consumer's own only: the index (consumer_id, id desc) serves this, newest first.
        return new Filters()
                .and("consumerId = :consumerId", "consumerId", java.util.Objects.requireNonNull(filter.consumerId()))
                .and("oaId = :oaId", "oaId", filter.oaId())
                .and("status = :status", "status", filter.status())
                .and("createdAt >= :from", "from", filter.from())
                .and("createdAt < :to", "to", filter.to())
                .and("id < :before", "before", before)
                .find(this, Sort.descending("id"))
                .range(0, size - 1)
                .list();
    }
}
