package vn.zalogateway.message;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

@ApplicationScoped
public class MessageRepository implements PanacheRepositoryBase<Message, UUID> {

    /** Newest first, after the cursor's id; {@code size} rows at most. */
    Uni<List<Message>> page(MessageFilter filter, UUID before, int size) {
        List<String> where = new ArrayList<>();
        Parameters parameters = new Parameters();
        if (filter.oaId() != null) {
            where.add("oaId = :oaId");
            parameters.and("oaId", filter.oaId());
        }
        if (filter.status() != null) {
            where.add("status = :status");
            parameters.and("status", filter.status());
        }
        if (filter.from() != null) {
            where.add("createdAt >= :from");
            parameters.and("from", filter.from());
        }
        if (filter.to() != null) {
            where.add("createdAt < :to");
            parameters.and("to", filter.to());
        }
        if (before != null) {
            where.add("id < :before");
            parameters.and("before", before);
        }
        Sort newestFirst = Sort.descending("id");
        return (where.isEmpty() ? findAll(newestFirst) : find(String.join(" and ", where), newestFirst, parameters))
                .range(0, size - 1)
                .list();
    }
}
