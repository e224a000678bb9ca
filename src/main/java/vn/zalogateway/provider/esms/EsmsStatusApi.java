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

/** eSMS's status service ({@code quarkus.rest-client.esms-status.url}, e.g. {@code https://status-sms.esms.vn}). */
@RegisterRestClient(configKey = "esms-status")
interface EsmsStatusApi {

    @POST
    @Path("/ZaloCallback/GetCallback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> getCallback(String jsonBody);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return new ProviderException.Transient(EsmsClient.PROVIDER, EsmsClient.PROVIDER + " status answered HTTP " + response.getStatus());
    }
}
