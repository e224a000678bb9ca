package vn.zalogateway.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

/**
 * A resource as someone might add one and forget to say who may call it (tests only): with
 * {@code quarkus.security.jaxrs.deny-unannotated-endpoints=true} nobody may, a session or a key notwithstanding.
 */
@Path("/test-only/unannotated")
public class UnannotatedProbe {

    @GET
    public String served() {
        return "served";
    }
}
