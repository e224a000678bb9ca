package vn.zalogateway.console;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
import vn.zalogateway.batch.BatchService;
import vn.zalogateway.batch.api.BatchView;
import vn.zalogateway.common.FormBody;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.console.ConsoleQueries.BatchRow;
import vn.zalogateway.console.ConsoleQueries.ConsumerName;
import vn.zalogateway.console.signin.ConsoleSecurity;
import vn.zalogateway.console.signin.Operators;

/**
 * The batches: a list (of one consumer or all, newest first) and a batch's page with its messages' counts per status
 * and its progress, read through the batch package ({@link BatchService#get}, the query of {@code GET /v1/batches/{id}});
 * cancelling goes through {@link BatchService#cancel} too (admin role, with the page's form token, as a redelivery).
 * The console never writes the batches table.
 */
@Path("/console/batches")
@Produces(MediaType.TEXT_HTML)
@Authenticated
public class BatchPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance batches(Frame frame, List<ConsumerName> consumers, String consumer, String problem,
                List<BatchRow> batches, String next);

        static native TemplateInstance batch(Frame frame, ConsumerName consumer, BatchView batch, BatchProgress progress,
                Integer cancelled);
    }

    private final Frames frames;
    private final ConsoleQueries queries;
    private final BatchService batches;
    private final GatewayConfig config;

    BatchPages(Frames frames, ConsoleQueries queries, BatchService batches, GatewayConfig config) {
        this.frames = frames;
        this.queries = queries;
        this.batches = batches;
        this.config = config;
    }

    @GET
    public Uni<TemplateInstance> list(@QueryParam("consumer") String consumer, @QueryParam("before") String before) {
        Frame frame = frames.of("batches");
        String chosen = SearchFields.blankToNull(consumer);
        return queries.consumerNames().chain(consumers -> {
            SearchFields fields = new SearchFields();
            UUID consumerId = fields.consumer(consumers, chosen);
            if (fields.problem() != null) {
                return Uni.createFrom().item(ConsolePages.localised(Templates.batches(frame, consumers, chosen, fields.problem(),
                        List.of(), null), frame));
            }
            return queries.batches(consumerId, Ids.parseOrNull(before)).map(rows -> {
                String next = rows.size() > ConsoleQueries.PAGE ? SearchFields.nextPage("/console/batches",
                        new String[][] { { "consumer", chosen } }, rows.get(ConsoleQueries.PAGE - 1).id().toString()) : null;
                return ConsolePages.localised(Templates.batches(frame, consumers, chosen, null, ConsolePages.page(rows), next), frame);
            });
        });
    }

    @GET
    @Path("/{id}")
    public Uni<Response> batch(@PathParam("id") String id, @QueryParam("cancelled") String cancelled) {
        Frame frame = frames.of("batches");
        UUID batchId = Ids.parseOrNull(id);
        if (batchId == null) {
            return Uni.createFrom().item(ConsolePages.notFound(frame, id));
        }
        Integer cancelledNow = cancelled != null && cancelled.matches("[0-9]{1,4}") ? Integer.valueOf(cancelled) : null;
        return queries.batchOwner(batchId).chain(owner -> owner == null ? Uni.createFrom().item(ConsolePages.notFound(frame, id))
                : batches.get(batchId, owner.id(), config.timeZone())
                        .map(view -> Response.ok(ConsolePages.localised(Templates.batch(frame, owner, view,
                                BatchProgress.of(view.counts(), view.accepted()), cancelledNow), frame)).build())
                        .onFailure(ProblemException.class).recoverWithItem(gone -> ConsolePages.notFound(frame, id)));
    }

    /** Takes back every message of the batch not yet claimed for sending: operators with the admin role, with the form token. */
    @POST
    @Path("/{id}/cancel")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Operators.ADMIN)
    public Uni<Response> cancel(@PathParam("id") String id, byte[] body) {
        FormBody form = FormBody.read(body);
        if (form == null || !frames.formTokenValid(form.get(ConsoleSecurity.FORM_FIELD))) {
            return Uni.createFrom().item(Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN)
                    .entity("form token missing or expired: reload the page").build());
        }
        Frame frame = frames.of("batches");
        UUID batchId = Ids.parseOrNull(id);
        if (batchId == null) {
            return Uni.createFrom().item(ConsolePages.notFound(frame, id));
        }
        return queries.batchOwner(batchId).chain(owner -> owner == null ? Uni.createFrom().item(ConsolePages.notFound(frame, id))
                : batches.cancel(batchId, owner.id())
                        .map(count -> Response.seeOther(URI.create("/console/batches/" + batchId + "?cancelled=" + count)).build())
                        .onFailure(ProblemException.class).recoverWithItem(gone -> ConsolePages.notFound(frame, id)));
    }
}
