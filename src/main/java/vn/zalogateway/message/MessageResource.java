package vn.zalogateway.message;

import java.net.URI;
import java.util.Map;
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
import vn.zalogateway.common.ProviderTime;
import vn.zalogateway.common.auth.Caller;
import vn.zalogateway.common.ratelimit.RateLimiter;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.idempotency.IdempotencyKey;
import vn.zalogateway.common.paging.Cursor;
import vn.zalogateway.common.paging.Page;
import vn.zalogateway.common.validation.Int64Id;
import vn.zalogateway.common.validation.Timestamp;
import vn.zalogateway.message.api.MessageView;
import vn.zalogateway.message.api.SendMessageRequest;

@Path("/v1/messages")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Messages", description = "Zalo transaction messages (eSMS) and ZNS journey messages (eTelecom)")
@jakarta.annotation.security.PermitAll // the consumer's API key is checked by ApiKeyFilter
public class MessageResource {

    private static final String SEND = "POST /v1/messages";

    private final MessageService messages;
    private final MessageIntake intake;
    private final Caller caller;
    private final RateLimiter rateLimiter;
    private final GatewayConfig config;

    MessageResource(MessageService messages, MessageIntake intake, Caller caller, GatewayConfig config, RateLimiter rateLimiter) {
        this.rateLimiter = rateLimiter;
        this.messages = messages;
        this.intake = intake;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send a Zalo message: a transaction message (to eSMS) or a ZNS journey message (to eTelecom); stored, then dispatched")
    @RequestBody(content = @Content(schema = @Schema(implementation = SendMessageRequest.class)))
    @APIResponse(responseCode = "202", description = "Stored; sent next", content = @Content(schema = @Schema(implementation = MessageView.class)))
    public Uni<Response> send(JsonNode body, @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey) {
        return intake.read(body, caller.identity()).chain(request -> {
            caller.checkOa(request.oaId());
            IdempotencyKey key = idempotencyKey == null ? null
                    : IdempotencyKey.of(caller.consumer(), SEND, idempotencyKey, MessageRequests.fingerprint(body));
            return rateLimiter.admit(caller.identity(), request.oaId()).chain(limit -> messages.accept(caller.consumerId(), request, key)
                    .map(result -> {
                        Response.ResponseBuilder response = Response.accepted(MessageView.of(result, config.timeZone()))
                                .location(URI.create("/v1/messages/" + result.message().id()));
                        if (result.replayed()) {
                            response.header(IdempotencyKey.REPLAYED_HEADER, "true");
                        }
                        return limit.addTo(response).build();
                    }));
        });
    }

    @POST
    @Path("/validate")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Check a message against every template rule; sends and stores nothing")
    @RequestBody(content = @Content(schema = @Schema(implementation = SendMessageRequest.class)))
    public Uni<Map<String, Boolean>> validate(JsonNode body) {
        return intake.read(body, caller.identity()).map(request -> {
            caller.checkOa(request.oaId());
            return Map.of("valid", true);
        });
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Take back a message that was not yet claimed for sending (ACCEPTED or SCHEDULED): CANCELLED")
    @APIResponse(responseCode = "200", description = "CANCELLED, now or before", content = @Content(schema = @Schema(implementation = MessageView.class)))
    @APIResponse(responseCode = "409", description = "Already claimed for sending, or later: not-cancellable")
    @APIResponse(responseCode = "404", description = "No such message of the caller's")
    public Uni<MessageView> cancel(@PathParam("id") String id) {
        UUID messageId = Ids.orNotFound(id, "Message");
        return messages.cancel(messageId, caller.consumerId()).map(result -> MessageView.of(result, config.timeZone()));
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a message, its status and receipts")
    public Uni<MessageView> get(@PathParam("id") String id) {
        UUID messageId = Ids.orNotFound(id, "Message");
        return messages.get(messageId, caller.consumerId()).map(result -> MessageView.of(result, config.timeZone()));
    }

    @GET
    @Operation(summary = "List messages, newest first")
    public Uni<Page<MessageView>> list(
            @QueryParam("oa_id") @Int64Id String oaId,
            @QueryParam("status") @Pattern(regexp = MessageStatus.PATTERN, message = MessageStatus.MESSAGE) String status,
            @QueryParam("from") @Timestamp String from,
            @QueryParam("to") @Timestamp String to,
            @QueryParam("limit") @Pattern(regexp = Page.LIMIT_PATTERN, message = Page.LIMIT_MESSAGE) String limit,
            @QueryParam("cursor") @Pattern(regexp = Cursor.PATTERN, message = Cursor.MESSAGE) String cursor) {
        MessageFilter filter = new MessageFilter(caller.consumerId(),
                isBlank(oaId) ? null : Int64Ids.parse(oaId).getAsLong(),
                isBlank(status) ? null : MessageStatus.valueOf(status),
                isBlank(from) ? null : ProviderTime.read(from, config.timeZone()),
                isBlank(to) ? null : ProviderTime.read(to, config.timeZone()));
        int size = Page.limit(limit);
        return messages.list(filter, Cursor.decode(cursor), size + 1)
                .map(rows -> Page.of(rows, size, result -> result.message().id(),
                        result -> MessageView.of(result, config.timeZone())));
    }

    private static boolean isBlank(String text) {
        return text == null || text.isEmpty();
    }
}
