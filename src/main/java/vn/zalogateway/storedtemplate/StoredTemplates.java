package vn.zalogateway.storedtemplate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.common.Ids;
import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;

/**
 * Stored templates for transaction messages, per consumer: saved (version 1), replaced (a new version each time; the old
 * ones stay, readable and usable by number), listed, and looked up for a message on its way in. The only writer of
 * {@code stored_templates} and {@code stored_template_versions}; reactive SQL, never blocking.
 *
 * <p>The lookup serves from memory when it can ({@link TemplateCache}): a numbered version always (it never changes);
 * "the latest" when this replica read it less than {@link #LATEST_FRESH} ago. Why a short time rather than reading
 * the latest from the database each time: a message without a version is the common case, and one more query on every
 * accept is what the cache is for; a replica that has not seen another replica's PUT yet uses the previous version for
 * at most that second, and the message says which version it used. A consumer that needs a given version names it.
 * The replica that took the PUT forgets at once, so a PUT and then a message through the same replica never sees the old
 * version.
 */
@ApplicationScoped
public class StoredTemplates {

    /** How long this replica trusts which version of a template is the latest. */
    static final Duration LATEST_FRESH = Duration.ofSeconds(1);
    /** Versions (and latest answers) kept in memory at most; past this the cache starts again. */
    static final int MOST_CACHED = 10_000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SELECT = """
            select v.id, v.template_id, t.name, v.version, v.template_type, v.language, v.elements, v.buttons, v.placeholders,
                   v.created_at
            from stored_template_versions v join stored_templates t on t.id = v.template_id
            """;

    private final Pool pool;
    private final TemplateCache cache = new TemplateCache(LATEST_FRESH.toNanos(), MOST_CACHED);

    StoredTemplates(Pool pool) {
        this.pool = pool;
    }

    /** Version 1 of a new template; 409 when the consumer has one by that name. */
    public Uni<TemplateVersion> create(UUID consumerId, TemplateRequests.Draft draft) {
        UUID templateId = Ids.next();
        return pool.withTransaction(connection -> connection.preparedQuery("""
                insert into stored_templates (id, consumer_id, name, latest_version, created_at, updated_at)
                values ($1, $2, $3, 1, now(), now())
                on conflict (consumer_id, name) do nothing""")
                .execute(Tuple.of(templateId, consumerId, draft.name()))
                .chain(rows -> rows.rowCount() == 0
                        ? Uni.createFrom().failure(new ProblemException(Problem.of(409, "template-exists", "Template exists",
                                "A template named " + draft.name() + " exists already: PUT /v1/templates/" + draft.name()
                                        + " saves a new version of it").withViolations(List.of(new Violation("name", "is taken")))))
                        : insertVersion(connection, templateId, 1, draft)))
                .invoke(saved -> saved(consumerId, saved));
    }

    /** The next version of the consumer's template; 404 when it has none by that name. */
    public Uni<TemplateVersion> replace(UUID consumerId, TemplateRequests.Draft draft) {
        // The update locks the template's row: two PUTs at once get consecutive versions, never the same one.
        return pool.withTransaction(connection -> connection.preparedQuery("""
                update stored_templates set latest_version = latest_version + 1, updated_at = now()
                where consumer_id = $1 and name = $2
                returning id, latest_version""")
                .execute(Tuple.of(consumerId, draft.name()))
                .chain(rows -> {
                    if (rows.rowCount() == 0) {
                        return Uni.createFrom().failure(notFound(draft.name()));
                    }
                    Row row = rows.iterator().next();
                    return insertVersion(connection, row.getUUID("id"), row.getInteger("latest_version"), draft);
                }))
                .invoke(saved -> saved(consumerId, saved));
    }

    private void saved(UUID consumerId, TemplateVersion saved) {
        cache.forgetLatest(consumerId, saved.name());
        cache.put(consumerId, saved);
        Log.debugf("Stored template %s version %d saved", saved.name(), saved.version());
    }

    private Uni<TemplateVersion> insertVersion(SqlConnection connection, UUID templateId, int version, TemplateRequests.Draft draft) {
        UUID id = Ids.next();
        ObjectNode placeholders = JsonNodeFactory.instance.objectNode();
        draft.placeholders().forEach((name, max) -> placeholders.putObject(name).put("max_length", max));
        return connection.preparedQuery("""
                insert into stored_template_versions (id, template_id, version, template_type, language, elements, buttons,
                    placeholders, created_at)
                values ($1, $2, $3, $4, $5, $6, $7, $8, now())
                returning created_at""")
                .execute(Tuple.from(new Object[] { id, templateId, version, draft.templateType(), draft.language(),
                        draft.elements().toString(), draft.buttons() == null ? null : draft.buttons().toString(),
                        placeholders.toString() }))
                .map(rows -> new TemplateVersion(id, templateId, draft.name(), version, draft.templateType(), draft.language(),
                        draft.elements(), draft.buttons(), draft.placeholders(),
                        rows.iterator().next().getOffsetDateTime("created_at").toInstant()));
    }

    /** The latest version of each of the consumer's templates, newest template first, after {@code before} (a template id). */
    public Uni<List<TemplateVersion>> list(UUID consumerId, UUID before, int size) {
        return pool.preparedQuery(SELECT + """
                where t.consumer_id = $1 and v.version = t.latest_version and ($2::uuid is null or t.id < $2)
                order by t.id desc limit $3""")
                .execute(Tuple.of(consumerId, before, size))
                .map(StoredTemplates::versions);
    }

    /** The latest version of the consumer's template; 404 when it has none by that name. */
    public Uni<TemplateVersion> latest(UUID consumerId, String name) {
        return pool.preparedQuery(SELECT + "where t.consumer_id = $1 and t.name = $2 and v.version = t.latest_version")
                .execute(Tuple.of(consumerId, name))
                .map(rows -> one(versions(rows), name));
    }

    /** One version of the consumer's template; 404 when there is no such template or version. */
    public Uni<TemplateVersion> version(UUID consumerId, String name, int version) {
        return pool.preparedQuery(SELECT + "where t.consumer_id = $1 and t.name = $2 and v.version = $3")
                .execute(Tuple.of(consumerId, name, version))
                .map(rows -> {
                    List<TemplateVersion> found = versions(rows);
                    if (found.isEmpty()) {
                        throw ProblemException.notFound("Template " + name + " version " + version);
                    }
                    return found.get(0);
                });
    }

    /** The consumer's template's versions, newest first, after {@code before} (a version's id); 404 when no such template. */
    public Uni<List<TemplateVersion>> versions(UUID consumerId, String name, UUID before, int size) {
        return pool.preparedQuery("select id from stored_templates where consumer_id = $1 and name = $2")
                .execute(Tuple.of(consumerId, name))
                .chain(templates -> {
                    if (templates.rowCount() == 0) {
                        return Uni.createFrom().failure(notFound(name));
                    }
                    return pool.preparedQuery(SELECT + """
                            where v.template_id = $1 and ($2::uuid is null or v.id < $2)
                            order by v.id desc limit $3""")
                            .execute(Tuple.of(templates.iterator().next().getUUID("id"), before, size))
                            .map(StoredTemplates::versions);
                });
    }

    /**
     * For a message on its way in: the consumer's template at that version (null: the latest), or null when there is
     * no such template or version. From memory when it can (see the class comment); misses are never remembered, so a
     * template saved on another replica is found at once.
     */
    public Uni<TemplateVersion> lookup(UUID consumerId, String name, Integer version) {
        Integer number = version != null ? version : cache.latest(consumerId, name);
        if (number != null) {
            TemplateVersion cached = cache.version(consumerId, name, number);
            if (cached != null) {
                return Uni.createFrom().item(cached);
            }
        }
        long generation = cache.generation();
        Uni<List<TemplateVersion>> read = number == null
                ? pool.preparedQuery(SELECT + "where t.consumer_id = $1 and t.name = $2 and v.version = t.latest_version")
                        .execute(Tuple.of(consumerId, name)).map(StoredTemplates::versions)
                : pool.preparedQuery(SELECT + "where t.consumer_id = $1 and t.name = $2 and v.version = $3")
                        .execute(Tuple.of(consumerId, name, number)).map(StoredTemplates::versions);
        return read.map(found -> {
            if (found.isEmpty()) {
                return null;
            }
            TemplateVersion template = found.get(0);
            cache.put(consumerId, template);
            if (version == null) {
                cache.putLatest(consumerId, name, template.version(), generation);
            }
            return template;
        });
    }

    /** The latest version's number of the consumer's template, or null when it has none by that name (never cached). */
    public Uni<Integer> latestNumber(UUID consumerId, String name) {
        return pool.preparedQuery("select latest_version from stored_templates where consumer_id = $1 and name = $2")
                .execute(Tuple.of(consumerId, name))
                .map(rows -> rows.rowCount() == 0 ? null : rows.iterator().next().getInteger("latest_version"));
    }

    private static TemplateVersion one(List<TemplateVersion> found, String name) {
        if (found.isEmpty()) {
            throw notFound(name);
        }
        return found.get(0);
    }

    static ProblemException notFound(String name) {
        return ProblemException.notFound("Template " + name);
    }

    private static List<TemplateVersion> versions(Iterable<Row> rows) {
        List<TemplateVersion> versions = new ArrayList<>();
        for (Row row : rows) {
            versions.add(new TemplateVersion(row.getUUID("id"), row.getUUID("template_id"), row.getString("name"),
                    row.getInteger("version"), row.getString("template_type"), row.getString("language"),
                    parse(row.getString("elements")), row.getString("buttons") == null ? null : parse(row.getString("buttons")),
                    placeholders(parse(row.getString("placeholders"))), row.getOffsetDateTime("created_at").toInstant()));
        }
        return versions;
    }

    private static Map<String, Integer> placeholders(JsonNode stored) {
        Map<String, Integer> placeholders = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = stored.fields(); fields.hasNext();) {
            Map.Entry<String, JsonNode> field = fields.next();
            placeholders.put(field.getKey(), field.getValue().get("max_length").asInt());
        }
        return placeholders;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException unreadable) {
            throw new IllegalStateException("A stored template version is not JSON", unreadable);
        }
    }
}
