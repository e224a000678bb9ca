package vn.zalogateway.receipt;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpServerRequest;
import vn.zalogateway.common.FormBody;
import vn.zalogateway.common.Sha256;
import vn.zalogateway.common.auth.ApiKeys;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.problem.Violation;

/**
 * Delivery receipts, called by the providers. The path carries a secret (providers sign nothing),
 * compared in constant time; a wrong secret stores nothing. A 200 means the receipt is committed.
 */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "Delivery receipts from the providers")
@jakarta.annotation.security.PermitAll // the secret in the path (and the allow-lists) is the check, not a session
public class WebhookResource {

    private static final Map<String, String> STORED = Map.of("status", "stored");

    private final ReceiptService receipts;
    // SHA-256 of each configured secret, taken once: digests of equal length compare in constant time.
    private final ApiKeys nxcloudSecrets;
    private final ApiKeys esmsSecrets;
    private final WebhookSources nxcloudSources;
    private final WebhookSources esmsSources;

    WebhookResource(ReceiptService receipts, GatewayConfig config) {
        this.receipts = receipts;
        GatewayConfig.Webhooks webhooks = config.webhooks();
        this.nxcloudSecrets = ApiKeys.fromSecrets(webhooks.nxcloudSecret().orElse(List.of()));
        this.esmsSecrets = ApiKeys.fromSecrets(webhooks.esmsSecret().orElse(List.of()));
        List<String> proxies = webhooks.trustedProxies().orElse(List.of());
        this.nxcloudSources = new WebhookSources(webhooks.nxcloudAllowedCidrs().orElse(List.of()), proxies);
        this.esmsSources = new WebhookSources(webhooks.esmsAllowedCidrs().orElse(List.of()), proxies);
    }

    @POST
    @Path("/nxcloud/{secret}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "NXCloud Zalo delivery receipt (dr_webhook)")
    public Uni<Map<String, String>> nxcloud(@PathParam("secret") String secret, String body, @Context HttpServerRequest request) {
        authorise(request, nxcloudSources, nxcloudSecrets, secret);
        return receipts.receive(ReceiptService.NXCLOUD, body, () -> NxcloudReceipts.parse(body)).replaceWith(STORED);
    }

    @GET
    @Path("/esms/{secret}")
    @Operation(summary = "eSMS CallbackUrl receipt (GET with query parameters)")
    public Uni<Map<String, String>> esms(@PathParam("secret") String secret, @Context UriInfo uri,
            @Context HttpServerRequest request) {
        authorise(request, esmsSources, esmsSecrets, secret);
        String raw = uri.getRequestUri().getRawQuery();
        return esms(uri.getQueryParameters(), raw == null ? "" : raw);
    }

    @POST
    @Path("/esms/{secret}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(summary = "eSMS CallbackUrl receipt, as a form")
    public Uni<Map<String, String>> esmsForm(@PathParam("secret") String secret, byte[] body, @Context HttpServerRequest request) {
        authorise(request, esmsSources, esmsSecrets, secret);
        FormBody form = FormBody.read(body);
        if (form == null) {
            throw new ProblemException(Problem.http(413, "An eSMS callback is a few hundred bytes; this form is longer than "
                    + FormBody.LONGEST));
        }
        String raw = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        if (!form.undecodable().isEmpty()) {
            List<Violation> violations = form.undecodable().stream()
                    .map(field -> new Violation(field, "is not valid form encoding (a % must start a hex pair)")).toList();
            return receipts.receive(ReceiptService.ESMS, raw, () -> {
                throw new UnreadableReceipt(violations);
            }).replaceWith(STORED);
        }
        MultivaluedMap<String, String> parameters = new jakarta.ws.rs.core.MultivaluedHashMap<>();
        form.fields().forEach(parameters::putSingle);
        return esms(parameters, raw);
    }

    private Uni<Map<String, String>> esms(MultivaluedMap<String, String> parameters, String raw) {
        Map<String, String> first = new java.util.HashMap<>();
        parameters.forEach((name, values) -> first.put(name, values.isEmpty() ? null : values.get(0)));
        return receipts.receive(ReceiptService.ESMS, raw, () -> EsmsCallbacks.parse(first)).replaceWith(STORED);
    }

    /** The sender's network first (403), then the path secret (401): every configured secret is compared. */
    private static void authorise(HttpServerRequest request, WebhookSources sources, ApiKeys secrets, String presented) {
        if (!sources.allows(request.remoteAddress() == null ? null : request.remoteAddress().hostAddress(),
                request.getHeader("X-Forwarded-For"))) {
            throw new ProblemException(Problem.of(403, "forbidden-source", "Forbidden",
                    "This webhook takes requests from its provider's networks only"));
        }
        if (!secrets.knows(Sha256.of(presented))) {
            throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", "Unknown webhook secret"));
        }
    }
}
