package vn.zalogateway.consumer;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.media.SchemaProperty;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.Timestamps;
import vn.zalogateway.common.auth.Caller;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.consumer.api.ConsumerView;
import vn.zalogateway.consumer.api.IssuedKeyView;
import vn.zalogateway.consumer.api.IssuedSecretView;
import vn.zalogateway.message.api.SendMessageRequest;

/** The admin API (administrators' keys only, see ApiKeyFilter): consumers, their keys and callback secrets. */
@Path("/v1/admin/consumers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Administration", description = "Consumers, their API keys and callback secrets (administrators' keys only)")
@jakarta.annotation.security.PermitAll // the administrator's API key is checked by ApiKeyFilter
public class AdminResource {

    private final ConsumerService consumers;
    private final GatewayConfig config;
    private final Caller caller;

    AdminResource(ConsumerService consumers, GatewayConfig config, Caller caller) {
        this.consumers = consumers;
        this.config = config;
        this.caller = caller;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Create a consumer; its API key and callback secret are shown in this answer only")
    // The body is read as JSON by ConsumerRequests (every violation at once); the OpenAPI document gets its shape here.
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT, requiredProperties = { "name", "oa_ids" },
            additionalProperties = Schema.False.class, properties = {
            @SchemaProperty(name = "name", type = SchemaType.STRING, pattern = "[a-z0-9-]{1,64}"),
            @SchemaProperty(name = "oa_ids", type = SchemaType.ARRAY, implementation = String.class,
                    description = "OA ids, or [\"*\"] for every OA"),
            @SchemaProperty(name = "callback_url", type = SchemaType.STRING, nullable = true) })))
    @APIResponse(responseCode = "201", description = "Created", content = @Content(schema = @Schema(implementation = ConsumerView.class)))
    public Uni<Response> create(JsonNode body) {
        return consumers.create(ConsumerRequests.newConsumer(body), caller.actor())
                .map(created -> Response.created(URI.create("/v1/admin/consumers/" + created.consumer().id()))
                        .entity(ConsumerView.of(created, config.timeZone())).build());
    }

    @GET
    @Operation(summary = "List consumers (never a key or a secret)")
    public Uni<List<ConsumerView>> list() {
        return consumers.list().map(all -> all.stream().map(consumer -> ConsumerView.of(consumer, config.timeZone())).toList());
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "Get a consumer")
    public Uni<ConsumerView> get(@PathParam("id") String id) {
        return consumers.get(consumerId(id)).map(consumer -> ConsumerView.of(consumer, config.timeZone()));
    }

    @PATCH
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Change a consumer's oa_ids, callback_url, rate_limit_per_second or send_window; null removes any but oa_ids")
    @RequestBody(content = @Content(schema = @Schema(type = SchemaType.OBJECT, additionalProperties = Schema.False.class, properties = {
            @SchemaProperty(name = "oa_ids", type = SchemaType.ARRAY, implementation = String.class),
            @SchemaProperty(name = "callback_url", type = SchemaType.STRING, nullable = true),
            @SchemaProperty(name = "rate_limit_per_second", type = SchemaType.INTEGER, nullable = true),
            @SchemaProperty(name = "send_window", type = SchemaType.OBJECT, implementation = SendMessageRequest.SendWindow.class,
                    nullable = true, description = "The consumer's default window for messages that name none; null removes it") })))
    public Uni<ConsumerView> change(@PathParam("id") String id, JsonNode body) {
        UUID consumerId = consumerId(id);
        return consumers.change(consumerId, ConsumerRequests.changes(body), caller.actor()).map(consumer -> ConsumerView.of(consumer, config.timeZone()));
    }

    @POST
    @Path("/{id}/keys")
    @Operation(summary = "Issue another API key (rotation: the old keys stay valid until revoked)")
    @APIResponse(responseCode = "201", description = "Issued", content = @Content(schema = @Schema(implementation = IssuedKeyView.class)))
    public Uni<Response> issueKey(@PathParam("id") String id) {
        return consumers.issueKey(consumerId(id), caller.actor()).map(issued -> Response.status(201).entity(new IssuedKeyView(
                issued.keyId().toString(), issued.apiKey(), Timestamps.at(issued.createdAt(), config.timeZone()))).build());
    }

    @DELETE
    @Path("/{id}/keys/{keyId}")
    @Operation(summary = "Revoke an API key: it stops working at once, on every replica")
    @APIResponse(responseCode = "204", description = "Revoked")
    public Uni<Response> revokeKey(@PathParam("id") String id, @PathParam("keyId") String keyId) {
        UUID key = Ids.orNotFound(keyId, "Key");
        return consumers.revokeKey(consumerId(id), key, caller.actor()).map(ignored -> Response.noContent().build());
    }

    @POST
    @Path("/{id}/callback-secret")
    @Operation(summary = "Issue a new callback secret; for 24 h callbacks are signed with it and the previous one")
    @APIResponse(responseCode = "201", description = "Issued", content = @Content(schema = @Schema(implementation = IssuedSecretView.class)))
    public Uni<Response> rotateSecret(@PathParam("id") String id) {
        return consumers.rotateSecret(consumerId(id), caller.actor()).map(issued -> Response.status(201).entity(new IssuedSecretView(
                issued.callbackSecret(), Timestamps.at(issued.createdAt(), config.timeZone()),
                Timestamps.at(issued.previousRetiresAt(), config.timeZone()))).build());
    }

    private static UUID consumerId(String id) {
        return Ids.orNotFound(id, "Consumer");
    }
}
