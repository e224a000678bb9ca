package vn.zalogateway.floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.smallrye.mutiny.Uni;

/** A declarative REST client, as the gateway has for each upstream (built at build time, called by nobody). */
@RegisterRestClient(configKey = "upstream")
@Path("/status")
public interface UpstreamApi {

    @GET
    Uni<String> status();
}
