package vn.zalogateway.receipt;

import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.Sha256;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;

/**
 * Delivery receipts, called by the providers. The path carries a secret (providers sign nothing),
 * compared in constant time; a wrong secret stores nothing. A 200 means the receipt is committed.
 */
@Path("/v1/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Webhooks", description = "Delivery receipts from the providers")
public class WebhookResource {

    private final ReceiptService receipts;
    private final GatewayConfig.Webhooks secrets;

    WebhookResource(ReceiptService receipts, GatewayConfig config) {
        this.receipts = receipts;
        this.secrets = config.webhooks();
    }

    @POST
    @Path("/nxcloud/{secret}")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "NXCloud Zalo delivery receipt (dr_webhook)")
    public Uni<Map<String, String>> nxcloud(@PathParam("secret") String secret, String body) {
        authorise(secrets.nxcloudSecret(), secret);
        return receipts.receiveNxcloud(body).replaceWith(Map.of("status", "stored"));
    }

    private static void authorise(Optional<String> configured, String presented) {
        boolean known = configured.isPresent() && !configured.get().isEmpty()
                && MessageDigest.isEqual(Sha256.of(configured.get()), Sha256.of(presented));
        if (!known) {
            throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized", "Unknown webhook secret"));
        }
    }
}
