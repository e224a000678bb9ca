package vn.zalogateway.common.auth;

import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.runtime.Startup;

import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.problem.Problem;

/**
 * Every {@code /v1/**} call carries {@code Authorization: Bearer <api-key>}, except the webhooks,
 * which providers call with a secret in the path. Deny by default: a new resource is protected
 * without having to remember it.
 */
@ApplicationScoped
@Startup // a malformed gateway.api-key-hashes stops the start, rather than failing every request
public class ApiKeyFilter {

    private static final String BEARER = "Bearer ";

    private final ApiKeys keys;
    private final Caller caller;

    ApiKeyFilter(GatewayConfig config, Caller caller) {
        this.keys = ApiKeys.fromHexHashes(config.apiKeyHashes());
        this.caller = caller;
    }

    @ServerRequestFilter
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1/") || path.startsWith("/v1/webhooks/")) {
            return Optional.empty();
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
        Optional<String> consumer = bearer ? keys.consumerOf(authorization.substring(BEARER.length()).trim()) : Optional.empty();
        if (consumer.isEmpty()) {
            Problem problem = Problem.of(401, "unauthorized", "Unauthorized", refusal(authorization, bearer)).withInstance(path);
            return Optional.of(Response.status(401)
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"zalo-gateway\"")
                    .type(Problem.MEDIA_TYPE).entity(problem).build());
        }
        caller.authenticate(consumer.get());
        return Optional.empty();
    }

    /** Why a request was refused, in words that say what to send instead (never echoing the key). */
    static String refusal(String authorization, boolean bearer) {
        if (authorization == null || authorization.isBlank()) {
            return "Send your API key as 'Authorization: Bearer <api-key>'";
        }
        if (!bearer) {
            return "The Authorization header lacks the 'Bearer ' scheme: send 'Authorization: Bearer <api-key>'";
        }
        return "The API key is not known to this gateway";
    }
}
