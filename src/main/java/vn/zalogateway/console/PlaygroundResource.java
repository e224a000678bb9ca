package vn.zalogateway.console;

import java.time.Instant;
import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;


import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.quarkus.vertx.http.runtime.CurrentVertxRequest;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.console.signin.ConsoleSecurity;
import vn.zalogateway.message.template.TemplateType;

/** The template playground: compose a message, see its card and every broken rule as you type, copy it as curl. */
@Path("/console/playground")
@Produces(MediaType.TEXT_HTML)
@Authenticated
public class PlaygroundResource {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance playground(Frame frame, java.util.List<String> types, String chosen, String json,
                Playground.Result result);

        static native TemplateInstance result(Playground.Result result);
    }

    private final Frames frames;
    private final ConsoleQueries queries;
    private final GatewayConfig config;
    private final CurrentVertxRequest request;

    PlaygroundResource(Frames frames, ConsoleQueries queries, GatewayConfig config, CurrentVertxRequest request) {
        this.frames = frames;
        this.queries = queries;
        this.config = config;
        this.request = request;
    }

    /** Starts from a template type's sample, or from a stored message ({@code from}). */
    @GET
    public Uni<TemplateInstance> page(@QueryParam("type") String type, @QueryParam("from") String from) {
        Frame frame = frames.of("playground");
        UUID stored = Ids.parseOrNull(from);
        Uni<String> json = stored == null ? Uni.createFrom().item(Playground.sample(type))
                : queries.message(stored).map(message -> message == null || message.zaloPayload() == null ? Playground.sample(type)
                        : Playground.ofStored(message.row().oaId(), message.row().recipient(), message.zaloPayload(), message.row().ext()));
        return json.map(text -> Templates.playground(frame, TemplateType.ALL,
                type != null && TemplateType.ALL.contains(type) ? type : "transaction_order", text,
                Playground.check(text, config.timeZone(), Instant.now(), baseUrl())).setLocale(frame.lang()));
    }

    /** The card, the violations and the curl for the JSON being edited (an HTML fragment the page swaps in). */
    @POST
    @Path("/check")
    @Consumes({ MediaType.TEXT_PLAIN, MediaType.APPLICATION_JSON })
    public Response check(String json, @HeaderParam(ConsoleSecurity.FORM_HEADER) String token) {
        if (!frames.formTokenValid(token)) {
            return Response.status(Response.Status.FORBIDDEN).entity("form token missing or expired: reload the page").type(MediaType.TEXT_PLAIN).build();
        }
        String lang = frames.language();
        return Response.ok(Templates.result(Playground.check(json, config.timeZone(), Instant.now(), baseUrl())).setLocale(lang).render())
                .build();
    }

    private String baseUrl() {
        var http = request.getCurrent().request();
        String scheme = http.getHeader("X-Forwarded-Proto") != null ? http.getHeader("X-Forwarded-Proto") : http.scheme();
        return scheme + "://" + http.authority();
    }
}
