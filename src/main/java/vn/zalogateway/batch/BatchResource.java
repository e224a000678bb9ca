package vn.zalogateway.batch;

import java.net.URI;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
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
import vn.zalogateway.batch.api.BatchAnswer;
import vn.zalogateway.batch.api.BatchCancelView;
import vn.zalogateway.batch.api.BatchView;
import vn.zalogateway.batch.api.CreateBatchRequest;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.auth.Caller;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.idempotency.IdempotencyKey;
import vn.zalogateway.message.MessageRequests;

@Path("/v1/batches")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Batches", description = "Up to 1,000 messages in one request, stored together; each an ordinary message after")
@jakarta.annotation.security.PermitAll // the consumer's API key is checked by ApiKeyFilter
public class BatchResource {

    private static final String SEND = "POST /v1/batches";

    private final BatchService batches;
    private final Caller caller;
    private final GatewayConfig config;

    BatchResource(BatchService batches, Caller caller, GatewayConfig config) {
        this.batches = batches;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Send 1 to 1,000 messages at once: the valid ones are stored together (one commit) and sent as "
            + "messages sent alone are; each invalid one is answered with all its violations and nothing of it is stored")
    @RequestBody(content = @Content(schema = @Schema(implementation = CreateBatchRequest.class)))
    @APIResponse(responseCode = "202", description = "Stored; each item's message id or violations",
            content = @Content(schema = @Schema(implementation = BatchAnswer.class)))
    @APIResponse(responseCode = "413", description = "More than 1,000 messages, or a body over 5 MiB: nothing stored")
    @APIResponse(responseCode = "429", description = "The batch's valid items are more sends than the rate limits leave: nothing stored")
    public Uni<Response> send(JsonNode body, @HeaderParam(IdempotencyKey.HEADER) String idempotencyKey) {
        BatchRequest request = BatchRequest.read(body);
        IdempotencyKey key = idempotencyKey == null ? null : IdempotencyKey.of(caller.consumer(), SEND, idempotencyKey,
                MessageRequests.fingerprint(body));
        return batches.accept(caller.identity(), request, key).map(accepted -> {
            Response.ResponseBuilder response = Response.accepted(accepted.answer())
                    .location(URI.create("/v1/batches/" + accepted.answer().id()));
            if (accepted.replayed()) {
                response.header(IdempotencyKey.REPLAYED_HEADER, "true");
            }
            return accepted.limit() == null ? response.build() : accepted.limit().addTo(response).build();
        });
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a batch: how many of its messages are in each status now, and each item's message id")
    @APIResponse(responseCode = "200", description = "The batch", content = @Content(schema = @Schema(implementation = BatchView.class)))
    @APIResponse(responseCode = "404", description = "No such batch of the caller's")
    public Uni<BatchView> get(@PathParam("id") String id) {
        return batches.get(Ids.orNotFound(id, "Batch"), caller.consumerId(), config.timeZone());
    }

    @POST
    @Path("/{id}/cancel")
    @Operation(summary = "Take back every message of the batch not yet claimed for sending (as POST /v1/messages/{id}/cancel would): how many")
    @APIResponse(responseCode = "200", description = "How many were cancelled now",
            content = @Content(schema = @Schema(implementation = BatchCancelView.class)))
    @APIResponse(responseCode = "404", description = "No such batch of the caller's")
    public Uni<BatchCancelView> cancel(@PathParam("id") String id) {
        UUID batchId = Ids.orNotFound(id, "Batch");
        return batches.cancel(batchId, caller.consumerId()).map(cancelled -> new BatchCancelView(batchId.toString(), cancelled));
    }
}
