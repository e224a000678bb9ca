package vn.zalogateway.callback;

import java.util.UUID;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import vn.zalogateway.callback.api.DeliveryView;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.auth.Caller;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.paging.Cursor;
import vn.zalogateway.common.paging.Page;
import vn.zalogateway.common.problem.ProblemException;

/** The consumer's status callbacks: what was sent, what is still trying, and a way to send one again. */
@Path("/v1/callbacks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Callbacks", description = "Signed status callbacks to the consumer's callback_url")
@jakarta.annotation.security.PermitAll // the consumer's API key is checked by ApiKeyFilter
public class CallbackResource {

    static final String STATUSES = "PENDING|DELIVERED|FAILED";

    private final CallbackEvents events;
    private final CallbackSender sender;
    private final Caller caller;
    private final GatewayConfig config;

    CallbackResource(CallbackEvents events, CallbackSender sender, Caller caller, GatewayConfig config) {
        this.events = events;
        this.sender = sender;
        this.caller = caller;
        this.config = config;
    }

    @GET
    @Operation(summary = "List the consumer's callback deliveries, newest first")
    public Uni<Page<DeliveryView>> list(
            @QueryParam("status") @Pattern(regexp = STATUSES, message = "must be one of: PENDING, DELIVERED, FAILED") String status,
            @QueryParam("limit") @Pattern(regexp = Page.LIMIT_PATTERN, message = Page.LIMIT_MESSAGE) String limit,
            @QueryParam("cursor") @Pattern(regexp = Cursor.PATTERN, message = Cursor.MESSAGE) String cursor) {
        int size = Page.limit(limit);
        return events.list(caller.consumerId(), status == null || status.isEmpty() ? null : status, Cursor.decode(cursor), size + 1)
                .map(rows -> Page.of(rows, size, CallbackEvents.Delivery::id, row -> DeliveryView.of(row, config.timeZone())));
    }

    @POST
    @Path("/{id}/redeliver")
    @Operation(summary = "Send a callback again now")
    public Uni<Response> redeliver(@PathParam("id") String id) {
        UUID eventId = Ids.orNotFound(id, "Callback");
        return sender.redeliver(caller.consumerId(), eventId).map(found -> {
            if (!found) {
                throw ProblemException.notFound("Callback " + id);
            }
            return Response.accepted().build();
        });
    }
}
