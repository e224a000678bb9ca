package vn.zalogateway.common.paging;

import java.util.ArrayList;
import java.util.List;

import io.quarkus.hibernate.reactive.panache.PanacheQuery;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/** The optional filters of a listing, as one HQL condition: a filter given as null is left out. */
public final class Filters {

    private final List<String> conditions = new ArrayList<>();
    private final Parameters parameters = new Parameters();

    /** Adds {@code condition} (which names {@code :name}) unless the value is null. */
    public Filters and(String condition, String name, Object value) {
        if (value != null) {
            conditions.add(condition);
            parameters.and(name, value);
        }
        return this;
    }

    public <E> PanacheQuery<E> find(PanacheRepositoryBase<E, ?> repository, Sort sort) {
        return conditions.isEmpty() ? repository.findAll(sort)
                : repository.find(String.join(" and ", conditions), sort, parameters);
    }
}
