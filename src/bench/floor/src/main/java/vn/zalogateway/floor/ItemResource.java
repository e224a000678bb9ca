package vn.zalogateway.floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;

import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

/** One GET that reads the entity: the floor's counterpart of the gateway's first request. */
@Path("/items")
public class ItemResource {

    @GET
    @Path("/{id}")
    @WithSession
    public Uni<Item> get(@PathParam("id") long id) {
        return Item.<Item>findById(id).onItem().ifNull().failWith(NotFoundException::new);
    }
}
