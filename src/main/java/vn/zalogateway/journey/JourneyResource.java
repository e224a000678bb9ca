package vn.zalogateway.journey;

import java.net.URI;
import java.util.UUID;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.Int64Ids;
import vn.zalogateway.common.PhoneNumbers;
import vn.zalogateway.common.auth.Caller;
import vn.zalogateway.common.ratelimit.RateLimit;
import vn.zalogateway.common.ratelimit.RateLimiter;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.idempotency.IdempotencyKey;
import vn.zalogateway.common.paging.Cursor;
import vn.zalogateway.common.paging.Page;
import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.validation.Int64Id;
import vn.zalogateway.common.validation.VietnameseMobile;
import vn.zalogateway.journey.api.CreateJourneyRequest;
import vn.zalogateway.journey.api.JourneyView;
import vn.zalogateway.provider.etelecom.EtelecomClient;

@Path("/v1/journeys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Journeys", description = "Zalo journey tokens created through eTelecom")
@jakarta.annotation.security.PermitAll // the consumer's API key is checked by ApiKeyFilter
public class JourneyResource {

    private static final String CREATE = "POST /v1/journeys";

    private final JourneyService journeys;
    private final Caller caller;
    private final RateLimiter rateLimiter;
    private final GatewayConfig config;

    JourneyResource(JourneyService journeys, Caller caller, GatewayConfig config, RateLimiter rateLimiter) {
        this.journeys = journeys;
        this.rateLimiter = rateLimiter;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a journey token for a phone (calls eTelecom CreateJourney)")
    @RequestBody(required = true, content = @Content(schema = @Schema(implementation = CreateJourneyRequest.class)))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = JourneyView.class)))
    public Uni<Response> create(JsonNode body, @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey) {
        NewJourney request = JourneyRequests.read(body);
        caller.checkOa(request.oaId());
        IdempotencyKey key = IdempotencyKey.of(caller.consumer(), CREATE, idempotencyKey, request.fingerprint());
        return rateLimiter.admit(caller.identity(), request.oaId())
                .chain(limit -> journeys.create(caller.consumerId(), request, key).map(result -> respond(result, limit)));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a journey, with the messages its token carries")
    public Uni<JourneyView> get(@PathParam("id") String id) {
        UUID journeyId = Ids.orNotFound(id, "Journey");
        return journeys.detail(journeyId, caller.consumerId())
                .map(detail -> JourneyView.of(detail.journey(), detail.messages(), detail.receipts(), config.timeZone()));
    }

    @GET
    @Operation(summary = "List journeys, newest first")
    public Uni<Page<JourneyView>> list(
            @QueryParam("oa_id") @Int64Id String oaId,
            @QueryParam("phone") @VietnameseMobile String phone,
            @QueryParam("status") @Pattern(regexp = JourneyStatus.PATTERN, message = JourneyStatus.MESSAGE) String status,
            @QueryParam("limit") @Pattern(regexp = Page.LIMIT_PATTERN, message = Page.LIMIT_MESSAGE) String limit,
            @QueryParam("cursor") @Pattern(regexp = Cursor.PATTERN, message = Cursor.MESSAGE) String cursor) {
        JourneyFilter filter = new JourneyFilter(caller.consumerId(),
                oaId == null || oaId.isEmpty() ? null : Int64Ids.parse(oaId).getAsLong(),
                phone == null || phone.isEmpty() ? null : PhoneNumbers.normalise(phone).orElseThrow(),
                status == null || status.isEmpty() ? null : JourneyStatus.valueOf(status));
        int size = Page.limit(limit);
        return journeys.list(filter, Cursor.decode(cursor), size + 1)
                .map(rows -> Page.of(rows, size, Journey::id, this::view));
    }

    /** 201 for a token, the problem for a failed attempt; the same for a replay, marked as one. */
    private Response respond(JourneyService.Result result, RateLimit limit) {
        Journey journey = result.journey();
        Response.ResponseBuilder response = journey.status() == JourneyStatus.FAILED
                ? failure(journey)
                : Response.created(URI.create("/v1/journeys/" + journey.id())).entity(view(journey));
        if (result.replayed()) {
            response.header(IdempotencyKey.REPLAYED_HEADER, "true");
        }
        return limit.addTo(response).build();
    }

    private static Response.ResponseBuilder failure(Journey journey) {
        Problem problem = switch (journey.failureKind()) {
            case REFUSED -> Problem.of(422, "provider-refused", "eTelecom refused the journey",
                    "eTelecom answered error " + journey.errorCode() + ": " + journey.errorMessage())
                    .withProvider(EtelecomClient.PROVIDER, journey.errorCode(), journey.errorMessage());
            case TIMEOUT -> Problem.of(504, "provider-timeout", "eTelecom did not answer in time", journey.errorMessage());
            default -> Problem.of(502, "provider-unavailable", "eTelecom is unavailable", journey.errorMessage());
        };
        // The failed attempt is kept: instance points at it.
        return Response.status(problem.status()).type(Problem.MEDIA_TYPE)
                .entity(problem.withInstance("/v1/journeys/" + journey.id()));
    }

    private JourneyView view(Journey journey) {
        return JourneyView.of(journey, config.timeZone());
    }
}
