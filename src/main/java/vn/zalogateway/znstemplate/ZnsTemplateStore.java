package vn.zalogateway.znstemplate;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.provider.OaQuota;
import vn.zalogateway.provider.ZnsTemplateInfo;

/**
 * The tables {@code zns_templates} and {@code zns_template_lists}, which this package alone writes. Each method is one
 * statement, committed by itself: never a transaction, so that no provider call can ever sit inside one. It counts the
 * statements it runs ({@link #statements()}), which a test reads to see that the accept path runs none.
 */
@ApplicationScoped
class ZnsTemplateStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Pool pool;
    private final AtomicLong statements = new AtomicLong();

    ZnsTemplateStore(Pool pool) {
        this.pool = pool;
    }

    /** Statements run since the start. */
    long statements() {
        return statements.get();
    }

    /** The template as last kept, or null. */
    Uni<ZnsTemplate> find(long oaId, long templateId) {
        statements.incrementAndGet();
        return pool.preparedQuery("select * from zns_templates where oa_id = $1 and template_id = $2")
                .execute(Tuple.of(oaId, templateId))
                .map(rows -> rows.size() == 0 ? null : template(rows.iterator().next()));
    }

    /** The OA's templates as kept, by id. */
    Uni<List<ZnsTemplate>> list(long oaId) {
        statements.incrementAndGet();
        return pool.preparedQuery("select * from zns_templates where oa_id = $1 order by template_id").execute(Tuple.of(oaId))
                .map(rows -> {
                    List<ZnsTemplate> templates = new ArrayList<>(rows.size());
                    rows.forEach(row -> templates.add(template(row)));
                    return templates;
                });
    }

    /** When eTelecom last listed the OA's templates, or null. */
    Uni<Instant> listedAt(long oaId) {
        statements.incrementAndGet();
        return pool.preparedQuery("select listed_at from zns_template_lists where oa_id = $1").execute(Tuple.of(oaId))
                .map(rows -> rows.size() == 0 ? null : rows.iterator().next().getOffsetDateTime("listed_at").toInstant());
    }

    /** Keeps templates as a provider answered them (a newer reading is never overwritten by an older one). */
    Uni<Void> save(List<ZnsTemplate> templates) {
        if (templates.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = templates.size();
        Long[] oas = new Long[n];
        Long[] ids = new Long[n];
        String[] names = new String[n];
        String[] statuses = new String[n];
        String[] qualities = new String[n];
        String[] tags = new String[n];
        String[] params = new String[n];
        Integer[] daily = new Integer[n];
        Integer[] remaining = new Integer[n];
        String[] sources = new String[n];
        OffsetDateTime[] checked = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            ZnsTemplate template = templates.get(i);
            ZnsTemplateInfo info = template.info();
            oas[i] = template.oaId();
            ids[i] = info.templateId();
            names[i] = info.name();
            statuses[i] = info.status();
            qualities[i] = info.quality();
            tags[i] = info.tag();
            params[i] = paramsJson(info.params());
            daily[i] = info.dailyQuota();
            remaining[i] = info.remainingQuota();
            sources[i] = template.source();
            checked[i] = template.checkedAt().atOffset(ZoneOffset.UTC);
        }
        statements.incrementAndGet();
        return pool.preparedQuery("""
                insert into zns_templates (oa_id, template_id, name, status, quality, tag, params, daily_quota, remaining_quota,
                    source, checked_at)
                select * from unnest($1::bigint[], $2::bigint[], $3::varchar[], $4::varchar[], $5::varchar[], $6::varchar[],
                    $7::text[], $8::integer[], $9::integer[], $10::varchar[], $11::timestamptz[])
                on conflict (oa_id, template_id) do update set name = excluded.name, status = excluded.status,
                    quality = excluded.quality, tag = excluded.tag, params = excluded.params, daily_quota = excluded.daily_quota,
                    remaining_quota = excluded.remaining_quota, source = excluded.source, checked_at = excluded.checked_at
                where zns_templates.checked_at <= excluded.checked_at""")
                .execute(Tuple.from(List.of(oas, ids, names, statuses, qualities, tags, params, daily, remaining, sources, checked)))
                .replaceWithVoid();
    }

    /** Notes that eTelecom listed the OA's templates at {@code at}. */
    Uni<Void> listed(long oaId, Instant at) {
        statements.incrementAndGet();
        return pool.preparedQuery("""
                insert into zns_template_lists (oa_id, listed_at) values ($1, $2)
                on conflict (oa_id) do update set listed_at = greatest(zns_template_lists.listed_at, excluded.listed_at)""")
                .execute(Tuple.of(oaId, at.atOffset(ZoneOffset.UTC))).replaceWithVoid();
    }

    private static ZnsTemplate template(Row row) {
        ZnsTemplateInfo info = new ZnsTemplateInfo(row.getLong("template_id"), row.getString("name"), row.getString("status"),
                row.getString("quality"), row.getString("tag"), params(row.getString("params")), row.getInteger("daily_quota"),
                row.getInteger("remaining_quota"));
        return new ZnsTemplate(row.getLong("oa_id"), info, row.getString("source"), row.getOffsetDateTime("checked_at").toInstant());
    }

    static String paramsJson(List<ZnsTemplateInfo.Param> params) {
        ArrayNode array = JSON.createArrayNode();
        for (ZnsTemplateInfo.Param param : params) {
            ObjectNode node = array.addObject().put("name", param.name()).put("type", param.type())
                    .put("required", param.required()).put("accept_null", param.acceptNull());
            node.put("min_length", param.minLength());
            node.put("max_length", param.maxLength());
        }
        return array.toString();
    }

    static List<ZnsTemplateInfo.Param> params(String json) {
        List<ZnsTemplateInfo.Param> params = new ArrayList<>();
        try {
            for (JsonNode node : JSON.readTree(json)) {
                params.add(new ZnsTemplateInfo.Param(node.path("name").asText(), ZnsTemplateInfo.word(node.get("type"), 100),
                        node.path("required").asBoolean(), node.path("accept_null").asBoolean(),
                        OaQuota.count(node.get("min_length")), OaQuota.count(node.get("max_length"))));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException unreadable) {
            throw new IllegalStateException("zns_templates.params holds JSON this gateway did not write", unreadable);
        }
        return params;
    }
}
