package vn.zalogateway.common.metrics;

import java.util.Set;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * The {@code uri} tag of every HTTP server meter is a route template of the gateway or a fixed word, never a
 * raw path: paths carry ids and, for the webhooks, a secret. Quarkus REST names the template of a request it
 * routed, but answers given before routing (BodyLimit's 413, Vert.x's own 4xx, a reset connection) and unknown
 * paths come with the raw path. Here a raw path of one of our routes becomes its template; anything else
 * {@value #UNKNOWN}, or {@value #NOT_FOUND} for a 404.
 */
@Singleton
public class HttpServerUris {

    static final String UNKNOWN = "UNKNOWN";
    static final String NOT_FOUND = "NOT_FOUND";
    /** What Quarkus itself writes instead of a path. */
    static final Set<String> FIXED = Set.of(UNKNOWN, NOT_FOUND, "REDIRECTION", "root", "/cors-preflight");

    private final RouteTemplates routes = RouteTemplates.application();

    /** First among the filters, so that no other one sees a raw path. */
    @Produces
    @Singleton
    @Priority(Integer.MAX_VALUE)
    MeterFilter templatedUris() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                String uri = id.getTag("uri");
                if (uri == null || !id.getName().startsWith("http.server")) {
                    return id;
                }
                String tag = tag(uri, id.getTag("status"));
                return tag.equals(uri) ? id : id.replaceTags(Tags.of(id.getTagsAsIterable()).and(Tag.of("uri", tag)));
            }
        };
    }

    /** The {@code uri} tag for what Quarkus wrote, with the answer's status ({@code 404}, {@code RESET}, ...). */
    String tag(String uri, String status) {
        if (FIXED.contains(uri)) {
            return uri;
        }
        String template = routes.templateOf(uri);
        if (template != null) {
            return template;
        }
        return "404".equals(status) ? NOT_FOUND : UNKNOWN;
    }
}
