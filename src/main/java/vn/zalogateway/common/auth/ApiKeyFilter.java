package vn.zalogateway.common.auth;

import java.util.HexFormat;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.quarkus.runtime.Startup;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.Sha256;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemMappers;

/**
 * Every {@code /v1/**} call carries {@code Authorization: Bearer <key>}, except the webhooks, which
 * providers call with a secret in the path. {@code /v1/admin/**} takes administrators' keys
 * (gateway.admin-key-hashes) only; everything else a consumer's key: one of gateway.api-key-hashes
 * (the built-in consumer {@code default}) or one the admin API issued. Deny by default: a new
 * resource is protected without having to remember it.
 */
@ApplicationScoped
@Startup // malformed key hashes stop the start, rather than failing every request
public class ApiKeyFilter {

    private static final String BEARER = "Bearer ";
    static final String ADMIN_PATHS = "/v1/admin";
    /** An administrator is named in the audit trail by this much of its key's SHA-256 (8 hex digits). */
    static final int ADMIN_FINGERPRINT_BYTES = 4;

    private final ApiKeys configuredKeys;
    private final ApiKeys adminKeys;
    private final ConsumerDirectory directory;
    private final Caller caller;

    ApiKeyFilter(GatewayConfig config, ConsumerDirectory directory, Caller caller) {
        this.configuredKeys = ApiKeys.fromHexHashes(config.apiKeyHashes());
        this.adminKeys = ApiKeys.fromHexHashes(config.adminKeyHashes().orElse(List.of()), "gateway.admin-key-hashes");
        this.directory = directory;
        this.caller = caller;
    }

    @ServerRequestFilter
    public Uni<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1/") || path.startsWith("/v1/webhooks/")) {
            return Uni.createFrom().nullItem();
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        boolean bearer = authorization != null && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length());
        if (!bearer) {
            return Uni.createFrom().item(unauthorized(path, refusal(authorization, false)));
        }
        byte[] hash = Sha256.of(authorization.substring(BEARER.length()).trim());
        boolean admin = path.equals(ADMIN_PATHS) || path.startsWith(ADMIN_PATHS + "/");
        if (admin && adminKeys.knows(hash)) {
            caller.authenticateAdministrator(HexFormat.of().formatHex(hash, 0, ADMIN_FINGERPRINT_BYTES));
            return Uni.createFrom().nullItem();
        }
        Uni<ConsumerIdentity> consumer = configuredKeys.knows(hash) ? directory.builtIn() : directory.byKeyHash(hash);
        return consumer.map(identity -> {
            if (identity == null) {
                return unauthorized(path, refusal(authorization, true));
            }
            if (admin) {
                return Response.status(403).type(Problem.MEDIA_TYPE).entity(Problem.of(403, "forbidden", "Forbidden",
                        "The admin API takes an administrator's key (gateway.admin-key-hashes), not a consumer's")
                        .withInstance(ProblemMappers.redacted(path))).build();
            }
            caller.authenticate(identity);
            return null;
        });
    }

    private static Response unauthorized(String path, String detail) {
        return Response.status(401)
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"zalo-gateway\"")
                .type(Problem.MEDIA_TYPE).entity(Problem.of(401, "unauthorized", "Unauthorized", detail).withInstance(ProblemMappers.redacted(path)))
                .build();
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
