package vn.zalogateway.common.problem;

import java.io.IOException;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.logging.Log;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every error leaves the API as {@code application/problem+json}. Consumer mistakes are 4xx with the
 * field at fault; only our own bugs are 500, and those say nothing about internals.
 */
public class ProblemMappers {

    /** {@code /webhooks/}, then the provider's name and its slash when it is one of ours (slashes raw or %2F). */
    private static final Pattern WEBHOOK = Pattern.compile("(?i)(?:/|%2F)webhooks(?:/|%2F)+(?:(?:nxcloud|esms)(?:/|%2F)+)?");

    private static final Map<Class<?>, String> JSON_TYPES = Map.of(
            String.class, "a string",
            Boolean.class, "a boolean",
            boolean.class, "a boolean",
            Integer.class, "an integer",
            int.class, "an integer",
            Long.class, "an integer",
            long.class, "an integer");

    @ServerExceptionMapper
    public Response problem(ProblemException exception, UriInfo uri) {
        Response response = respond(exception.problem(), uri);
        exception.headers().forEach((name, value) -> response.getHeaders().putSingle(name, value));
        return response;
    }

    @ServerExceptionMapper
    public Response invalid(ConstraintViolationException exception, UriInfo uri) {
        List<Violation> violations = exception.getConstraintViolations().stream()
                .map(violation -> new Violation(JsonFields.of(violation), violation.getMessage()))
                .sorted(Comparator.comparing(Violation::field).thenComparing(Violation::message))
                .toList();
        return respond(ProblemException.invalid(violations).problem(), uri);
    }

    @ServerExceptionMapper
    public Response unreadable(JsonProcessingException exception, UriInfo uri) {
        return respond(unreadableBody(exception), uri);
    }

    /** Declared for the subtype too: Quarkus REST has its own mapper for it, which would win otherwise. */
    @ServerExceptionMapper
    public Response mistyped(MismatchedInputException exception, UriInfo uri) {
        return respond(unreadableBody(exception), uri);
    }

    /** Quarkus REST's own words name a Java annotation; say what the gateway reads instead. */
    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException exception, UriInfo uri, HttpHeaders headers) {
        return respond(unsupportedMediaType(headers.getHeaderString(HttpHeaders.CONTENT_TYPE)), uri);
    }

    static Problem unsupportedMediaType(String sent) {
        String got = sent == null || sent.isBlank() ? "no Content-Type" : "Content-Type '" + sent + "'";
        return Problem.of(415, "unsupported-media-type", "Unsupported media type",
                "The body must be JSON sent with 'Content-Type: application/json'; the request had " + got);
    }

    @ServerExceptionMapper
    public Response http(WebApplicationException exception, UriInfo uri) {
        if (exception.getCause() instanceof JsonProcessingException json) {
            return respond(unreadableBody(json), uri);
        }
        int status = exception.getResponse().getStatus();
        if (status >= 500) {
            Log.errorf(exception, "Request %s failed", redacted(uri.getPath()));
        }
        return respond(Problem.http(status, status >= 500 ? "The gateway could not complete the request" : exception.getMessage()), uri);
    }

    /**
     * The request's body could not be read: the caller went away, or sent (in chunks) more than
     * quarkus.http.limits.max-body-size, which Quarkus answered with 413 itself. The caller's doing, not a failure
     * of ours; when the answer is out already there is nothing more to say. This mapper, the most specific for an
     * IOException, also gets the gateway's own: PostgreSQL refusing or resetting a connection (a ConnectException
     * is an IOException), or any IOException once the whole body was in. Those are not the caller's, and never a
     * 400, which a provider takes as final: its receipt would be lost.
     */
    @ServerExceptionMapper
    public Response unreadableStream(IOException exception, UriInfo uri, HttpServerRequest request) {
        if (request.response().ended() || request.response().closed()) {
            Log.debugf("The body of %s could not be read (%s)", redacted(uri.getPath()), exception.getMessage());
            return null;
        }
        if ("Request too large".equals(exception.getMessage())) {
            return respond(Problem.http(413, "The body is larger than the gateway takes"), uri);
        }
        if (DatabaseUnavailable.is(exception) || request.isEnded()) {
            return unexpected(exception, uri);
        }
        Log.debugf("The body of %s could not be read (%s)", redacted(uri.getPath()), exception.getMessage());
        return respond(Problem.http(400, "The body could not be read"), uri);
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable exception, UriInfo uri) {
        if (DatabaseUnavailable.is(exception)) {
            // Nothing was acknowledged: the caller (or the provider, for a receipt) should try again.
            Log.warnf("Request %s refused, PostgreSQL is unreachable: %s", redacted(uri.getPath()), exception.toString());
            Problem problem = Problem.of(503, "unavailable", "Service unavailable",
                    "The gateway cannot reach its database; nothing was stored. Retry shortly.").withInstance(redacted(uri.getPath()));
            return Response.status(503).header("Retry-After", "1").type(Problem.MEDIA_TYPE).entity(problem).build();
        }
        Log.errorf(exception, "Request %s failed unexpectedly", redacted(uri.getPath()));
        return respond(Problem.of(500, "internal", "Internal error",
                "The gateway failed to handle the request; it has been logged"), uri);
    }

    /**
     * A problem's {@code instance}: the request's path, but a webhook path carries a secret, so everything after
     * the provider's name is {@code ***} (after {@code /webhooks/} itself when the provider is not one we know),
     * whatever the case, doubled slashes or extra segments.
     */
    public static String redacted(String path) {
        if (path == null) {
            return null;
        }
        Matcher webhook = WEBHOOK.matcher(path);
        return webhook.find() ? path.substring(0, webhook.end()) + "***" : path;
    }

    private static Problem unreadableBody(JsonProcessingException exception) {
        if (exception instanceof MismatchedInputException mismatch && mismatch.getPath().isEmpty()
                && mismatch.getTargetType() != null && mismatch.getTargetType().isRecord()) {
            return ProblemException.invalid("body", "must be a JSON object").problem();
        }
        if (exception instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            String expected = JSON_TYPES.get(mismatch.getTargetType());
            if (expected == null && mismatch.getTargetType() != null) {
                expected = Collection.class.isAssignableFrom(mismatch.getTargetType()) ? "an array" : "an object";
            }
            return ProblemException.invalid(JsonFields.of(mismatch.getPath()),
                    "must be " + (expected == null ? "of another JSON type" : expected)).problem();
        }
        if (exception instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return ProblemException.invalid(JsonFields.of(mapping.getPath()), "has an unreadable value").problem();
        }
        String where = exception.getLocation() == null ? ""
                : " at line " + exception.getLocation().getLineNr() + ", column " + exception.getLocation().getColumnNr();
        String detail = exception instanceof StreamReadException || exception.getLocation() != null
                ? "The body is not well-formed JSON" + where
                : "The body could not be read as JSON";
        return Problem.of(400, "malformed-json", "Malformed JSON", detail);
    }

    private static Response respond(Problem problem, UriInfo uri) {
        Problem located = problem.withInstance(redacted(problem.instance() == null ? uri.getPath() : problem.instance()));
        return Response.status(located.status()).type(Problem.MEDIA_TYPE).entity(located).build();
    }
}
