package vn.zalogateway.znstemplate;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.Int64Ids;
import vn.zalogateway.common.auth.Caller;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.validation.Int64Id;
import vn.zalogateway.znstemplate.api.ZnsTemplateView;

@Path("/v1/oas/{oa_id}/templates")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "ZNS templates", description = "The ZNS templates of the caller's OAs, as eTelecom or eSMS last described them")
@jakarta.annotation.security.PermitAll // the consumer's API key is checked by ApiKeyFilter
public class ZnsTemplateResource {

    private final ZnsTemplates templates;
    private final Caller caller;
    private final GatewayConfig config;

    ZnsTemplateResource(ZnsTemplates templates, Caller caller, GatewayConfig config) {
        this.templates = templates;
        this.caller = caller;
        this.config = config;
    }

    @GET
    @Operation(summary = "The OA's ZNS templates (eTelecom's ListTemplates, asked again past gateway.templates.refresh)")
    @APIResponse(responseCode = "404", description = "Not one of the caller's OAs")
    public Uni<List<ZnsTemplateView>> list(@PathParam("oa_id") @Int64Id String oaId) {
        long oa = callersOa(oaId);
        return templates.list(oa).map(list -> list.stream().map(t -> ZnsTemplateView.of(t, config.timeZone())).toList());
    }

    @GET
    @Path("/{template_id}")
    @Operation(summary = "One ZNS template of the OA (asked of eTelecom, else eSMS, on a miss and past gateway.templates.refresh)")
    @APIResponse(responseCode = "404", description = "Not one of the caller's OAs, or the OA has no such template")
    @APIResponse(responseCode = "502", description = "No provider could be asked and the gateway knows nothing of the template")
    public Uni<ZnsTemplateView> get(@PathParam("oa_id") @Int64Id String oaId, @PathParam("template_id") String templateId) {
        long oa = callersOa(oaId);
        long id = Int64Ids.parse(templateId).orElseThrow(() -> ProblemException.notFound("ZNS template " + templateId));
        return templates.lookup(oa, id).map(lookup -> {
            if (lookup.absent()) {
                throw ProblemException.notFound("ZNS template " + id + " of OA " + oaId);
            }
            if (lookup.unchecked()) {
                throw new ProblemException(Problem.of(502, "provider-unavailable", "No provider could describe the template",
                        "Neither eTelecom nor eSMS answered about ZNS template " + id + " of OA " + oaId
                                + ", and the gateway has not kept it"));
            }
            return ZnsTemplateView.of(lookup.template(), config.timeZone());
        });
    }

    /** The OA, when it is the caller's: another's is as unknown as one that does not exist, and no provider is asked. */
    private long callersOa(String oaId) {
        long oa = Int64Ids.parse(oaId).orElseThrow(() -> ProblemException.notFound("OA " + oaId));
        if (!caller.identity().mayUse(oa)) {
            throw ProblemException.notFound("OA " + oaId);
        }
        return oa;
    }
}
