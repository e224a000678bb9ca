package vn.zalogateway.common.metrics;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The routes of the gateway, as templates ({@code /v1/messages/{id}}), and which one a path belongs to.
 * Every resource path is listed here (RouteTemplatesTest fails when one is missing): a path that belongs
 * to none is not one of ours.
 */
public final class RouteTemplates {

    /** The application's routes (the REST resources, and the console's static files). */
    public static final List<String> APPLICATION = List.of(
            "/v1/journeys",
            "/v1/journeys/{id}",
            "/v1/messages",
            "/v1/messages/validate",
            "/v1/messages/{id}",
            "/v1/messages/{id}/cancel",
            "/v1/callbacks",
            "/v1/callbacks/{id}/redeliver",
            "/v1/batches",
            "/v1/batches/{id}",
            "/v1/batches/{id}/cancel",
            "/v1/oas/{oa_id}/quota",
            "/v1/oas/{oa_id}/templates",
            "/v1/oas/{oa_id}/templates/{template_id}",
            "/v1/templates",
            "/v1/templates/{name}",
            "/v1/templates/{name}/versions",
            "/v1/templates/{name}/versions/{version}",
            "/v1/reports/costs",
            "/v1/webhooks/nxcloud/{secret}",
            "/v1/webhooks/esms/{secret}",
            "/v1/admin/consumers",
            "/v1/admin/consumers/{id}",
            "/v1/admin/consumers/{id}/keys",
            "/v1/admin/consumers/{id}/keys/{keyId}",
            "/v1/admin/consumers/{id}/callback-secret",
            "/console",
            "/console/messages",
            "/console/messages/{id}",
            "/console/journeys",
            "/console/journeys/{id}",
            "/console/receipts",
            "/console/costs",
            "/console/consumers",
            "/console/consumers/{id}",
            "/console/consumers/{id}/deliveries/{event}/redeliver",
            "/console/sign-in",
            "/console/sign-out",
            "/console/language",
            "/console/playground",
            "/console/playground/check",
            "/console/batches",
            "/console/batches/{id}",
            "/console/batches/{id}/cancel",
            "/console/templates",
            "/console/templates/new",
            "/console/templates/{consumer}/{name}",
            "/console/templates/{consumer}/{name}/edit",
            "/console/zns-templates",
            "/console/zns-templates/{oa_id}/{template_id}",
            "/console/{unknown}",
            "/console-assets/{file}");

    private record Route(String template, Pattern pattern, long variables) {
    }

    private final Set<String> templates;
    /** Fewest variable segments first, so that {@code /v1/messages/validate} is not taken for an id. */
    private final List<Route> routes;

    private RouteTemplates(List<String> templates) {
        this.templates = Set.copyOf(templates);
        List<Route> compiled = new ArrayList<>();
        for (String template : templates) {
            StringBuilder regex = new StringBuilder();
            long variables = 0;
            for (String segment : template.substring(1).split("/", -1)) {
                boolean variable = segment.startsWith("{") && segment.endsWith("}");
                variables += variable ? 1 : 0;
                regex.append('/').append(variable ? "[^/]+" : Pattern.quote(segment));
            }
            compiled.add(new Route(template, Pattern.compile(regex.toString()), variables));
        }
        compiled.sort(Comparator.comparingLong(Route::variables));
        this.routes = List.copyOf(compiled);
    }

    public static RouteTemplates of(List<String> templates) {
        return new RouteTemplates(templates);
    }

    public static RouteTemplates application() {
        return of(APPLICATION);
    }

    /**
     * The template a path belongs to: a raw path ({@code /v1/messages/0190...}), or a template as another layer
     * wrote it ({@code /console/{unknown: .+}}); null when it is none of these routes.
     */
    public String templateOf(String path) {
        if (path == null || path.isEmpty()) {
            return null;
        }
        if (templates.contains(path)) {
            return path;
        }
        String normal = path.replaceAll("/{2,}", "/");
        if (normal.length() > 1 && normal.endsWith("/")) {
            normal = normal.substring(0, normal.length() - 1);
        }
        for (Route route : routes) {
            if (route.pattern().matcher(normal).matches()) {
                return route.template();
            }
        }
        return null;
    }
}
