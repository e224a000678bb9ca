package vn.zalogateway.common.problem;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;

/**
 * The largest body each path takes: {@code quarkus.http.limits.max-body-size} (5 MiB) for a batch
 * ({@code POST /v1/batches}), {@value #USUAL} bytes for every other request. A body announced larger is refused before
 * it is read, with a problem body (Quarkus itself would close the connection with an empty 413); a body sent in chunks
 * is held to its path's limit by the body reader, which Quarkus tells the server-wide limit and this tells the path's.
 */
@ApplicationScoped
public class BodyLimit {

    /** What every request but a batch may carry: 64 KiB. */
    public static final long USUAL = 64 * 1024;
    /** The path that takes up to the server-wide limit. */
    public static final String BATCHES = "/v1/batches";
    /** Where Quarkus's body reader looks for the most it may read (quarkus-vertx-http, HttpServerCommonHandlers). */
    static final String READ_LIMIT = "io.quarkus.max-request-size";
    /** Just after Quarkus's own upload-limit handler (RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT, -2), which sets it. */
    static final int AFTER_QUARKUS_LIMIT = -1;

    void install(@Observes Router router, ObjectMapper json,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        long largest = limit.asLongValue();
        long usual = Math.min(USUAL, largest);
        router.route().order(Integer.MIN_VALUE).handler(context -> {
            long maxBytes = isBatch(context.request()) ? largest : usual;
            String declared = context.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (declared != null && isLarger(declared, maxBytes)) {
                Problem problem = Problem.http(413, "The body is larger than " + maxBytes + " bytes")
                        .withInstance(ProblemMappers.redacted(context.request().path()));
                context.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(encode(json, problem));
                return;
            }
            context.next();
        });
        router.route().order(AFTER_QUARKUS_LIMIT).handler(context -> {
            if (context.request().getHeader(HttpHeaders.CONTENT_LENGTH) == null) {
                context.put(READ_LIMIT, isBatch(context.request()) ? largest : usual);
            }
            context.next();
        });
    }

    private static boolean isBatch(HttpServerRequest request) {
        if (request.method() != HttpMethod.POST) {
            return false;
        }
        String path = request.path();
        return path != null && (path.equals(BATCHES) || path.equals(BATCHES + "/"));
    }

    private static String encode(ObjectMapper json, Problem problem) {
        try {
            return json.writeValueAsString(problem);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A problem is always serialisable", e);
        }
    }

    private static boolean isLarger(String contentLength, long maxBytes) {
        try {
            return Long.parseLong(contentLength.trim()) > maxBytes;
        } catch (NumberFormatException malformed) {
            return false; // Vert.x rejects a malformed Content-Length itself
        }
    }
}
