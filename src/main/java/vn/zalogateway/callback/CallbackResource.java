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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import vn.zalogateway.callback.api.DeliveryView;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.audit.Audit;
import vn.zalogateway.common.auth.Caller;
import vn.zalogateway.common.auth.ConsumerIdentity;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.paging.Cursor;
import vn.zalogateway.common.paging.Page;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.ratelimit.RateLimiter;

/**
 * The consumer's status callbacks: what was sent, what is still trying, and a way to send one again: so many a
 * minute (429 past it), and a callback being sent at that moment is not sent a second time (still 202: the
 * attempt under way is the one asked for).
 */
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
    private final RateLimiter rateLimiter;

    CallbackResource(CallbackEvents events, CallbackSender sender, Caller caller, GatewayConfig config, RateLimiter rateLimiter) {
        this.events = events;
        this.sender = sender;
        this.caller = caller;
        this.config = config;
        this.rateLimiter = rateLimiter;
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
    @Operation(summary = "Send a callback again now (not a second time while it is being sent)")
    @APIResponse(responseCode = "202", description = "Queued, or being sent already")
    public Uni<Response> redeliver(@PathParam("id") String id) {
        UUID eventId = Ids.orNotFound(id, "Callback");
        ConsumerIdentity consumer = caller.identity();
        return rateLimiter.admitPerMinute(consumer, "redeliver", config.callbacks().redeliveriesPerMinute())
                .chain(limit -> sender.redeliverNow(consumer.id(), eventId))
                .map(redelivery -> {
                    if (redelivery == CallbackEvents.Redelivery.NOT_FOUND) {
                        throw ProblemException.notFound("Callback " + id);
                    }
                    if (redelivery == CallbackEvents.Redelivery.QUEUED) {
                        Audit.record("consumer:" + consumer.name(), "callback.redelivered", eventId.toString());
                    }
                    return Response.accepted().build();
                });
    }
}
