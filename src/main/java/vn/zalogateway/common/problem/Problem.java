package vn.zalogateway.common.problem;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * An RFC 9457 problem detail. The provider fields are set only when an upstream provider refused
 * or failed a request, so that consumers can tell our errors from theirs.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@RegisterForReflection
public record Problem(
        String type,
        String title,
        int status,
        String detail,
        String instance,
        List<Violation> violations,
        String provider,
        String providerCode,
        String providerMessage) {

    public static final String MEDIA_TYPE = "application/problem+json";

    private static final String TYPE_PREFIX = "urn:zalo-gateway:problem:";

    public static Problem of(int status, String slug, String title, String detail) {
        return new Problem(TYPE_PREFIX + slug, title, status, detail, null, null, null, null, null);
    }

    /** A plain HTTP error that needs no type of its own (RFC 9457, section 4.2.1). */
    public static Problem http(int status, String detail) {
        jakarta.ws.rs.core.Response.Status known = jakarta.ws.rs.core.Response.Status.fromStatusCode(status);
        return new Problem("about:blank", known == null ? "HTTP " + status : known.getReasonPhrase(), status, detail,
                null, null, null, null, null);
    }

    public Problem withInstance(String newInstance) {
        return new Problem(type, title, status, detail, newInstance, violations, provider, providerCode, providerMessage);
    }

    public Problem withViolations(List<Violation> newViolations) {
        return new Problem(type, title, status, detail, instance, List.copyOf(newViolations), provider, providerCode,
                providerMessage);
    }

    public Problem withProvider(String name, String code, String message) {
        return new Problem(type, title, status, detail, instance, violations, name, code, message);
    }
}
