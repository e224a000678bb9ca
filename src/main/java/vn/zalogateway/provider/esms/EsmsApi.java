package vn.zalogateway.provider.esms;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.provider.ProviderException;

/**
 * eSMS's JSON service ({@code quarkus.rest-client.esms.url}, e.g.
 * {@code https://rest.esms.vn/MainService.svc/json}). SendZaloFollowerMessage wants its JSON body labelled
 * {@code text/plain} (the seed); the other calls are labelled {@code application/json}, as eSMS's pages for them show.
 * Answers are JSON, read here as text and parsed by {@link EsmsClient}.
 */
@RegisterRestClient(configKey = "esms")
interface EsmsApi {

    @POST
    @Path("/SendZaloFollowerMessage_V5_post_json/")
    @Consumes(MediaType.TEXT_PLAIN)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> sendZaloFollowerMessage(String jsonBody);

    /** A brandname SMS (the fallback channel): JSON in and out, one SMS per request. */
    @POST
    @Path("/SendMultipleMessage_V4_post_json/")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> sendSms(String jsonBody);

    /**
     * An OA's Zalo quota today: JSON in and out, labelled {@code application/json} as eSMS's page for this call shows
     * (the {@code text/plain} label is the seed's, for SendZaloFollowerMessage only).
     */
    @POST
    @Path("/ZNS/GetQuota/")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> getQuota(String jsonBody);

    /**
     * One ZNS template of an OA: a GET with the credentials in the query, as eSMS's page shows it
     * ({@code GetZnsTemplateInfo?TemplateId=&ApiKey=&SecretKey=&OAId=}); the URL is therefore never logged.
     */
    @GET
    @Path("/GetZnsTemplateInfo")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> getZnsTemplateInfo(@QueryParam("TemplateId") String templateId, @QueryParam("ApiKey") String apiKey,
            @QueryParam("SecretKey") String secretKey, @QueryParam("OAId") String oaId);

    /**
     * eSMS reports its own errors in a 200 body. A 5xx, a 408 or a 429 may pass: retried. Any other 4xx
     * says the request itself is wrong (a path, a Content-Type, a body eSMS will never take): sending it
     * again changes nothing, so the message fails with the HTTP status as its code.
     */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        if (status >= 400 && status < 500 && status != 408 && status != 429) {
            return new ProviderException.Refused(EsmsClient.PROVIDER, "http_" + status,
                    EsmsClient.PROVIDER + " answered HTTP " + status + ": it will not take this request as it is");
        }
        return new ProviderException.Transient(EsmsClient.PROVIDER, EsmsClient.PROVIDER + " answered HTTP " + status);
    }
}
