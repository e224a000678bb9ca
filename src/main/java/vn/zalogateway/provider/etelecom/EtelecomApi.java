package vn.zalogateway.provider.etelecom;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;

/**
 * eTelecom's Zalo service; answers are read as text and parsed by {@link EtelecomClient}, so that an odd one is
 * kept as it came. The base URL ({@code quarkus.rest-client.etelecom.url}) ends in
 * {@code .Zalo}: {@code https://api.etelecom.vn/v1/shop.Zalo} for a shop key,
 * {@code https://api.etelecom.vn/v1/partner.Zalo} for a partner's shop_key.
 */
@RegisterRestClient(configKey = "etelecom")
interface EtelecomApi {

    @POST
    @Path("/CreateJourney")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> createJourney(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, CreateJourneyCall call);

    @POST
    @Path("/SendZNSJourney")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> sendZnsJourney(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, SendZnsJourneyCall call);

    /** An OA connected to the shop: its quality and its Zalo quota today (eTelecom's public docs, no seed). */
    @POST
    @Path("/GetShopOA")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> getShopOa(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, GetShopOaCall call);

    /** One ZNS template of an OA: its parameters, status, quality, tag and quota (eTelecom's public docs, no seed). */
    @POST
    @Path("/GetTemplate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> getTemplate(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, GetTemplateCall call);

    /** An OA's ZNS templates, a page at a time (eTelecom's public docs, no seed). */
    @POST
    @Path("/ListTemplates")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<String> listTemplates(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, ListTemplatesCall call);

    /** Transport-level errors are HTTP 4xx/5xx with {@code {"code","msg"}}. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        return EtelecomErrors.fromHttp(response.getStatus(), readBody(response));
    }

    private static String readBody(Response response) {
        try {
            return response.hasEntity() ? response.readEntity(String.class) : "";
        } catch (RuntimeException unreadable) {
            return "";
        }
    }
}
