package vn.zalogateway.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Stream;

import jakarta.ws.rs.HttpMethod;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RouteTemplatesTest {

    final RouteTemplates routes = RouteTemplates.application();

    @ParameterizedTest
    @CsvSource(nullValues = "none", value = {
            "/v1/messages/0190a0a0-0000-7000-8000-000000000001, /v1/messages/{id}",
            "/v1/messages/validate,                              /v1/messages/validate",
            "/v1/messages/{id},                                  /v1/messages/{id}",
            "/v1/messages/,                                      /v1/messages",
            "/v1/journeys/not-an-id,                             /v1/journeys/{id}",
            "/v1/webhooks/nxcloud/test-nxcloud-secret,           /v1/webhooks/nxcloud/{secret}",
            "//v1/webhooks//esms/test-esms-secret,               /v1/webhooks/esms/{secret}",
            "/v1/webhooks/esms/a%2Fb,                            /v1/webhooks/esms/{secret}",
            "/v1/admin/consumers/x/keys/y,                       /v1/admin/consumers/{id}/keys/{keyId}",
            "/v1/admin/consumers/x/callback-secret,              /v1/admin/consumers/{id}/callback-secret",
            "/v1/oas/3041812345605770721/quota,                  /v1/oas/{oa_id}/quota",
            "/v1/callbacks/x/redeliver,                          /v1/callbacks/{id}/redeliver",
            "/console/consumers/a/deliveries/b/redeliver,        /console/consumers/{id}/deliveries/{event}/redeliver",
            "/console/messages/abc,                              /console/messages/{id}",
            "/console/{unknown: .+},                             /console/{unknown}",
            "/console-assets/console.css,                        /console-assets/{file}",
            "/v1/webhooks/nxcloud/secret/extra,                  none",
            "/v1/webhooks/test-nxcloud-secret,                   none",
            "/V1/messages/x,                                     none",
            "/anything,                                          none" })
    void aPathBelongsToItsRouteOrToNone(String path, String template) {
        assertThat(routes.templateOf(path)).isEqualTo(template);
    }

    /** A resource added without its template here would have its raw paths (ids, secrets) turned into UNKNOWN. */
    @Test
    void everyResourcePathOfTheApplicationIsListedAndNothingElse() throws Exception {
        TreeSet<String> declared = new TreeSet<>();
        Path classes = Path.of("target", "classes");
        List<String> names = new ArrayList<>();
        try (Stream<Path> files = Files.walk(classes.resolve("vn/zalogateway"))) {
            files.filter(file -> file.toString().endsWith(".class")).forEach(file -> names.add(
                    classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "")));
        }
        for (String name : names) {
            Class<?> type = Class.forName(name, false, getClass().getClassLoader());
            jakarta.ws.rs.Path root = type.getAnnotation(jakarta.ws.rs.Path.class);
            if (root == null || type.isInterface()) {
                continue; // REST clients are interfaces: the providers' paths, not ours
            }
            for (Method method : type.getDeclaredMethods()) {
                if (Stream.of(method.getAnnotations()).noneMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class))) {
                    continue;
                }
                jakarta.ws.rs.Path sub = method.getAnnotation(jakarta.ws.rs.Path.class);
                declared.add(normalise(root.value() + (sub == null ? "" : "/" + sub.value())));
            }
        }
        assertThat(declared).as("resource paths").isNotEmpty();
        TreeSet<String> listed = new TreeSet<>(RouteTemplates.APPLICATION);
        listed.remove("/console-assets/{file}"); // static files, served by Quarkus, not a resource
        assertThat(listed).isEqualTo(declared);
    }

    /** As Quarkus REST writes a template: single slashes, none at the end, {name} without its regex. */
    static String normalise(String path) {
        String single = path.replaceAll("/{2,}", "/").replaceAll("\\{\\s*([^:}\\s]+)\\s*:[^}]*}", "{$1}");
        return single.length() > 1 && single.endsWith("/") ? single.substring(0, single.length() - 1) : single;
    }
}
