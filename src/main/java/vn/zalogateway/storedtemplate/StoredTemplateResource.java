package vn.zalogateway.storedtemplate;

import java.net.URI;

import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
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
import vn.zalogateway.common.auth.Caller;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.paging.Cursor;
import vn.zalogateway.common.paging.Page;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.storedtemplate.api.SaveTemplateRequest;
import vn.zalogateway.storedtemplate.api.TemplateView;

@Path("/v1/templates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Stored templates", description = "Transaction templates with {{placeholders}}, saved once and versioned; "
        + "a message names one with its data")
@jakarta.annotation.security.PermitAll // the consumer's API key is checked by ApiKeyFilter
public class StoredTemplateResource {

    private final StoredTemplates templates;
    private final Caller caller;
    private final GatewayConfig config;

    StoredTemplateResource(StoredTemplates templates, Caller caller, GatewayConfig config) {
        this.templates = templates;
        this.caller = caller;
        this.config = config;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Save a new template (version 1), checked against every transaction rule with each placeholder at its longest")
    @RequestBody(content = @Content(schema = @Schema(implementation = SaveTemplateRequest.class)))
    @APIResponse(responseCode = "201", description = "Saved", content = @Content(schema = @Schema(implementation = TemplateView.class)))
    @APIResponse(responseCode = "409", description = "The consumer has a template by that name: PUT makes a new version")
    public Uni<Response> create(JsonNode body) {
        return templates.create(caller.consumerId(), TemplateRequests.create(body)).map(this::created);
    }

    @PUT
    @Path("/{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Save a new version of a template; the earlier versions stay readable and usable by number")
    @RequestBody(content = @Content(schema = @Schema(implementation = SaveTemplateRequest.class)))
    @APIResponse(responseCode = "201", description = "The new version", content = @Content(schema = @Schema(implementation = TemplateView.class)))
    @APIResponse(responseCode = "404", description = "No template of the caller's by that name")
    public Uni<Response> replace(@PathParam("name") String name, JsonNode body) {
        checkName(name);
        return templates.replace(caller.consumerId(), TemplateRequests.replace(name, body)).map(this::created);
    }

    @GET
    @Operation(summary = "List the caller's templates (each at its latest version), newest first")
    public Uni<Page<TemplateView>> list(
            @QueryParam("limit") @Pattern(regexp = Page.LIMIT_PATTERN, message = Page.LIMIT_MESSAGE) String limit,
            @QueryParam("cursor") @Pattern(regexp = Cursor.PATTERN, message = Cursor.MESSAGE) String cursor) {
        int size = Page.limit(limit);
        return templates.list(caller.consumerId(), Cursor.decode(cursor), size + 1)
                .map(rows -> Page.of(rows, size, TemplateVersion::templateId, this::view));
    }

    @GET
    @Path("/{name}")
    @Operation(summary = "Get a template at its latest version")
    @APIResponse(responseCode = "200", description = "The latest version", content = @Content(schema = @Schema(implementation = TemplateView.class)))
    public Uni<TemplateView> get(@PathParam("name") String name) {
        checkName(name);
        return templates.latest(caller.consumerId(), name).map(this::view);
    }

    @GET
    @Path("/{name}/versions")
    @Operation(summary = "List a template's versions, newest first")
    public Uni<Page<TemplateView>> versions(@PathParam("name") String name,
            @QueryParam("limit") @Pattern(regexp = Page.LIMIT_PATTERN, message = Page.LIMIT_MESSAGE) String limit,
            @QueryParam("cursor") @Pattern(regexp = Cursor.PATTERN, message = Cursor.MESSAGE) String cursor) {
        checkName(name);
        int size = Page.limit(limit);
        return templates.versions(caller.consumerId(), name, Cursor.decode(cursor), size + 1)
                .map(rows -> Page.of(rows, size, TemplateVersion::id, this::view));
    }

    @GET
    @Path("/{name}/versions/{version}")
    @Operation(summary = "Get one version of a template")
    @APIResponse(responseCode = "200", description = "That version", content = @Content(schema = @Schema(implementation = TemplateView.class)))
    public Uni<TemplateView> version(@PathParam("name") String name, @PathParam("version") String version) {
        checkName(name);
        if (!version.matches("[1-9][0-9]{0,8}")) {
            throw ProblemException.notFound("Template " + name + " version " + version);
        }
        return templates.version(caller.consumerId(), name, Integer.parseInt(version)).map(this::view);
    }

    /** A name no template can have is as unknown as one the caller has not saved. */
    private static void checkName(String name) {
        if (!name.matches(TemplateRequests.NAME_PATTERN)) {
            throw StoredTemplates.notFound(name);
        }
    }

    private Response created(TemplateVersion saved) {
        return Response.created(URI.create("/v1/templates/" + saved.name() + "/versions/" + saved.version()))
                .entity(view(saved)).build();
    }

    private TemplateView view(TemplateVersion template) {
        return TemplateView.of(template, config.timeZone());
    }
}
