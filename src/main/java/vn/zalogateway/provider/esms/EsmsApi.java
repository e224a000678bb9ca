package vn.zalogateway.provider.esms;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.provider.ProviderException;

/**
 * eSMS's JSON service ({@code quarkus.rest-client.esms.url}, e.g.
 * {@code https://rest.esms.vn/MainService.svc/json}). eSMS wants the JSON body labelled
 * {@code text/plain}; its answer is JSON, read here as text and parsed by {@link EsmsClient}.
 */
@RegisterRestClient(configKey = "esms")
interface EsmsApi {

    @POST
    @Path("/SendZaloFollowerMessage_V5_post_json/")
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> sendZaloFollowerMessage(String jsonBody);

    /** eSMS reports its own errors in a 200 body; an HTTP error is about reaching it, so it is worth retrying. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return new ProviderException.Transient(EsmsClient.PROVIDER, EsmsClient.PROVIDER + " answered HTTP " + response.getStatus());
    }
}
