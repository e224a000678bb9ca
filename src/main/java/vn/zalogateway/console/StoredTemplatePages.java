package vn.zalogateway.console;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
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

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.Authenticated;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.FormBody;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;
import vn.zalogateway.console.ConsoleQueries.ConsumerName;
import vn.zalogateway.console.signin.ConsoleSecurity;
import vn.zalogateway.console.signin.Operators;
import vn.zalogateway.storedtemplate.StoredTemplates;
import vn.zalogateway.storedtemplate.TemplateRequests;
import vn.zalogateway.storedtemplate.TemplateVersion;

/**
 * The stored templates of each consumer: a list, a template's page with its versions and its Zalo card filled with
 * sample data ({@link TemplatePreview}), and for the admin role a form to save a new template or a new version. Every
 * read and write goes through the storedtemplate package ({@link StoredTemplates}, {@link TemplateRequests}: the same
 * rules as {@code POST /v1/templates} and {@code PUT /v1/templates/{name}}); what the rules refuse is shown on the form,
 * every violation at once. Operators see every consumer's templates; each is found under its consumer's id.
 */
@Path("/console/templates")
@Produces(MediaType.TEXT_HTML)
@Authenticated
public class StoredTemplatePages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance templates(Frame frame, List<ConsumerName> consumers, ConsumerName consumer, String problem,
                List<TemplateVersion> templates, String next);

        static native TemplateInstance template(Frame frame, ConsumerName consumer, TemplateVersion template, int latest,
                TemplatePreview.Preview preview, List<TemplateVersion> versions, String next, boolean saved);

        static native TemplateInstance edit(Frame frame, ConsumerName consumer, String name, String json, List<Violation> violations);
    }

    /** Far more than any template: the rules allow a few kB of text, written out as form encoding (up to 9 bytes a character). */
    static final int LONGEST_FORM = 512 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Frames frames;
    private final ConsoleQueries queries;
    private final StoredTemplates templates;

    StoredTemplatePages(Frames frames, ConsoleQueries queries, StoredTemplates templates) {
        this.frames = frames;
        this.queries = queries;
        this.templates = templates;
    }

    /** A consumer's templates, each at its latest version, newest first; the first consumer (the built-in one) unless one is chosen. */
    @GET
    public Uni<TemplateInstance> list(@QueryParam("consumer") String consumer, @QueryParam("before") String before) {
        Frame frame = frames.of("templates");
        String typed = SearchFields.blankToNull(consumer);
        return queries.consumerNames().chain(consumers -> {
            ConsumerName chosen = typed == null ? (consumers.isEmpty() ? null : consumers.get(0))
                    : consumers.stream().filter(c -> c.name().equals(typed)).findFirst().orElse(null);
            if (chosen == null) {
                return Uni.createFrom().item(ConsolePages.localised(Templates.templates(frame, consumers, null,
                        typed == null ? null : typed + ": no such consumer", List.of(), null), frame));
            }
            return templates.list(chosen.id(), Ids.parseOrNull(before), ConsoleQueries.PAGE + 1).map(rows -> {
                String next = rows.size() > ConsoleQueries.PAGE ? SearchFields.nextPage("/console/templates",
                        new String[][] { { "consumer", chosen.name() } }, rows.get(ConsoleQueries.PAGE - 1).templateId().toString()) : null;
                return ConsolePages.localised(Templates.templates(frame, consumers, chosen, null, ConsolePages.page(rows), next), frame);
            });
        });
    }

    /** A template at a version (the latest unless one is asked for), its card with sample data, and its versions. */
    @GET
    @Path("/{consumer}/{name}")
    public Uni<Response> template(@PathParam("consumer") String consumer, @PathParam("name") String name,
            @QueryParam("version") String version, @QueryParam("before") String before, @QueryParam("saved") String saved) {
        Frame frame = frames.of("templates");
        Integer number = version == null || version.isBlank() ? null : version.matches("[1-9][0-9]{0,8}") ? Integer.valueOf(version) : -1;
        return owner(consumer, name).chain(owner -> {
            if (owner == null || (number != null && number < 0)) {
                return Uni.createFrom().item(ConsolePages.notFound(frame, name));
            }
            Uni<TemplateVersion> shown = number == null ? templates.latest(owner.id(), name) : templates.version(owner.id(), name, number);
            return shown.chain(template -> Uni.combine().all()
                    .unis(templates.latestNumber(owner.id(), name), templates.versions(owner.id(), name, Ids.parseOrNull(before),
                            ConsoleQueries.PAGE + 1)).asTuple()
                    .map(all -> {
                        List<TemplateVersion> versions = all.getItem2();
                        String next = versions.size() > ConsoleQueries.PAGE ? path(owner, name) + "?before="
                                + versions.get(ConsoleQueries.PAGE - 1).id() : null;
                        int latest = all.getItem1() == null ? template.version() : all.getItem1();
                        return Response.ok(ConsolePages.localised(Templates.template(frame, owner, template, latest,
                                TemplatePreview.of(template), ConsolePages.page(versions), next, saved != null), frame)).build();
                    }))
                    .onFailure(ProblemException.class).recoverWithItem(missing -> ConsolePages.notFound(frame, name));
        });
    }

    /** The form for a new template of the consumer, starting from a sample. */
    @GET
    @Path("/new")
    @RolesAllowed(Operators.ADMIN)
    public Uni<Response> create(@QueryParam("consumer") String consumer) {
        Frame frame = frames.of("templates");
        return consumer(consumer).map(owner -> owner == null ? ConsolePages.notFound(frame, String.valueOf(consumer))
                : Response.ok(ConsolePages.localised(Templates.edit(frame, owner, null, TemplatePreview.blank(), List.of()), frame)).build());
    }

    /** The form for a new version of the template, starting from its latest. */
    @GET
    @Path("/{consumer}/{name}/edit")
    @RolesAllowed(Operators.ADMIN)
    public Uni<Response> edit(@PathParam("consumer") String consumer, @PathParam("name") String name) {
        Frame frame = frames.of("templates");
        return owner(consumer, name).chain(owner -> owner == null ? Uni.createFrom().item(ConsolePages.notFound(frame, name))
                : templates.latest(owner.id(), name)
                        .map(latest -> Response.ok(ConsolePages.localised(Templates.edit(frame, owner, name,
                                TemplatePreview.editable(latest), List.of()), frame)).build())
                        .onFailure(ProblemException.class).recoverWithItem(missing -> ConsolePages.notFound(frame, name)));
    }

    /** Saves a new template (version 1) of the consumer named in the form; the form again with every violation when refused. */
    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Operators.ADMIN)
    public Uni<Response> save(byte[] body) {
        FormBody form = FormBody.read(body, LONGEST_FORM);
        if (form == null || !frames.formTokenValid(form.get(ConsoleSecurity.FORM_FIELD))) {
            return Uni.createFrom().item(formExpired());
        }
        Frame frame = frames.of("templates");
        String json = form.get("template");
        return consumer(form.get("consumer")).chain(owner -> {
            if (owner == null) {
                return Uni.createFrom().item(ConsolePages.notFound(frame, String.valueOf(form.get("consumer"))));
            }
            return saving(frame, owner, null, json, () -> templates.create(owner.id(), TemplateRequests.create(read(json))));
        });
    }

    /** Saves a new version of the template; the form again with every violation when refused. */
    @POST
    @Path("/{consumer}/{name}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RolesAllowed(Operators.ADMIN)
    public Uni<Response> saveVersion(@PathParam("consumer") String consumer, @PathParam("name") String name, byte[] body) {
        FormBody form = FormBody.read(body, LONGEST_FORM);
        if (form == null || !frames.formTokenValid(form.get(ConsoleSecurity.FORM_FIELD))) {
            return Uni.createFrom().item(formExpired());
        }
        Frame frame = frames.of("templates");
        String json = form.get("template");
        return owner(consumer, name).chain(owner -> owner == null ? Uni.createFrom().item(ConsolePages.notFound(frame, name))
                : saving(frame, owner, name, json, () -> templates.replace(owner.id(), TemplateRequests.replace(name, read(json)))));
    }

    /** The save, then the template's page; its refusal, the form with what was typed and every violation (a 404: the 404 page). */
    private Uni<Response> saving(Frame frame, ConsumerName owner, String name, String json,
            java.util.function.Supplier<Uni<? extends TemplateVersion>> save) {
        return Uni.createFrom().<TemplateVersion>deferred(save)
                .map(saved -> Response.seeOther(URI.create(path(owner, saved.name()) + "?saved=" + saved.version())).build())
                .onFailure(ProblemException.class).recoverWithItem(failure -> {
                    var problem = ((ProblemException) failure).problem();
                    if (problem.status() == 404) {
                        return ConsolePages.notFound(frame, name);
                    }
                    List<Violation> violations = problem.violations() == null || problem.violations().isEmpty()
                            ? List.of(new Violation("body", problem.detail())) : problem.violations();
                    return Response.status(problem.status()).entity(ConsolePages.localised(Templates.edit(frame, owner, name,
                            json == null ? "" : json, violations), frame)).build();
                });
    }

    /** The typed JSON; not JSON at all is a violation as the API's would be. */
    private static JsonNode read(String json) {
        if (json == null || json.isBlank()) {
            throw ProblemException.invalid("body", "must be a JSON object");
        }
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            String where = e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw ProblemException.invalid("body", "is not JSON" + where);
        }
    }

    /** The consumer of a template's path, when the name is one a template can have; null otherwise. */
    private Uni<ConsumerName> owner(String consumer, String name) {
        if (name == null || !name.matches(TemplateRequests.NAME_PATTERN)) {
            return Uni.createFrom().nullItem();
        }
        return consumer(consumer);
    }

    private Uni<ConsumerName> consumer(String id) {
        UUID consumerId = Ids.parseOrNull(id);
        if (consumerId == null) {
            return Uni.createFrom().nullItem();
        }
        return queries.consumerNames().map(all -> all.stream().filter(c -> c.id().equals(consumerId)).findFirst().orElse(null));
    }

    static String path(ConsumerName owner, String name) {
        return "/console/templates/" + owner.id() + "/" + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static Response formExpired() {
        return Response.status(Response.Status.FORBIDDEN).type(MediaType.TEXT_PLAIN).entity("form token missing or expired: reload the page")
                .build();
    }
}
