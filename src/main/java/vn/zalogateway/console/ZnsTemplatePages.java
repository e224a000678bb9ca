package vn.zalogateway.console;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.Int64Ids;
import vn.zalogateway.console.ConsoleQueries.ConsumerRow;
import vn.zalogateway.znstemplate.ZnsTemplate;
import vn.zalogateway.znstemplate.ZnsTemplates;

/**
 * The ZNS templates of each OA (status, quality, tag, parameters, quota, when a provider last described them), read
 * through the registry ({@link ZnsTemplates}) as {@code GET /v1/oas/{oa_id}/templates[/{template_id}]} reads them: an
 * OA not listed within {@code gateway.templates.refresh} is listed again, a template missed is asked for. The registry
 * asks the providers on its own context, never inside a transaction and never holding the event loop. A consumer
 * chosen narrows the OAs to its own.
 */
@Path("/console/zns-templates")
@Produces(MediaType.TEXT_HTML)
@Authenticated
public class ZnsTemplatePages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance templates(Frame frame, List<ConsumerRow> consumers, String consumer, OaChoice choice,
                String problem, List<ZnsTemplate> templates);

        static native TemplateInstance template(Frame frame, long oaId, long templateId, ZnsTemplate template);
    }

    private final Frames frames;
    private final ConsoleQueries queries;
    private final ZnsTemplates registry;

    ZnsTemplatePages(Frames frames, ConsoleQueries queries, ZnsTemplates registry) {
        this.frames = frames;
        this.queries = queries;
        this.registry = registry;
    }

    @GET
    public Uni<TemplateInstance> list(@QueryParam("consumer") String consumer, @QueryParam("oa_id") String oaId) {
        Frame frame = frames.of("zns");
        String typed = SearchFields.blankToNull(consumer);
        return queries.consumers().chain(consumers -> {
            ConsumerRow chosen = typed == null ? null : consumers.stream().filter(c -> c.name().equals(typed)).findFirst().orElse(null);
            if (typed != null && chosen == null) {
                return Uni.createFrom().item(ConsolePages.localised(Templates.templates(frame, consumers, typed,
                        OaChoice.of(null, null), typed + ": no such consumer", List.of()), frame));
            }
            OaChoice choice = OaChoice.of(chosen, oaId);
            Uni<List<ZnsTemplate>> found = choice.chosen() == null ? Uni.createFrom().item(List.of()) : registry.list(choice.chosen());
            return found.map(templates -> ConsolePages.localised(Templates.templates(frame, consumers, typed, choice, choice.problem(),
                    templates), frame));
        });
    }

    /** One template: asked of the providers when it is not known (or is older than gateway.templates.refresh). */
    @GET
    @Path("/{oa_id}/{template_id}")
    public Uni<Response> template(@PathParam("oa_id") String oaId, @PathParam("template_id") String templateId) {
        Frame frame = frames.of("zns");
        var oa = Int64Ids.parse(oaId);
        var id = Int64Ids.parse(templateId);
        if (oa.isEmpty() || id.isEmpty()) {
            return Uni.createFrom().item(ConsolePages.notFound(frame, oaId + "/" + templateId));
        }
        return registry.lookup(oa.getAsLong(), id.getAsLong()).map(lookup -> lookup.absent()
                ? ConsolePages.notFound(frame, "ZNS template " + id.getAsLong() + " of OA " + oa.getAsLong())
                // unchecked: no provider answered and nothing is kept; the page says so
                : Response.ok(ConsolePages.localised(Templates.template(frame, oa.getAsLong(), id.getAsLong(), lookup.template()), frame))
                        .build());
    }
}
