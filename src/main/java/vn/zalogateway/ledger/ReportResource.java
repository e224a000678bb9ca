package vn.zalogateway.ledger;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.runtime.annotations.RegisterForReflection;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.Int64Ids;
import vn.zalogateway.common.auth.Caller;
import vn.zalogateway.common.ProviderTime;
import vn.zalogateway.common.Timestamps;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.common.validation.Int64Id;
import vn.zalogateway.common.validation.Timestamp;

@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Reports", description = "Quota and costs, from the ledger of what the providers charged and reported")
@jakarta.annotation.security.PermitAll // the consumer's API key is checked by ApiKeyFilter
public class ReportResource {

    /** {@code source}: where the reading came from, {@code receipt} or {@code provider} (asked by the gateway). */
    @RegisterForReflection
    public record QuotaView(String oaId, int remainingQuota, Integer dailyQuota, OffsetDateTime reportedAt, OffsetDateTime heldUntil,
            String source) {
    }

    @RegisterForReflection
    public record CostReport(OffsetDateTime from, OffsetDateTime to, String oaId, List<Total> totals) {
        @RegisterForReflection
        public record Total(String currency, BigDecimal amount, long charges) {
        }
    }

    private final Ledger ledger;
    private final QuotaService quotas;
    private final GatewayConfig config;
    private final Caller caller;

    ReportResource(Ledger ledger, QuotaService quotas, GatewayConfig config, Caller caller) {
        this.ledger = ledger;
        this.quotas = quotas;
        this.config = config;
        this.caller = caller;
    }

    @GET
    @Path("/oas/{oa_id}/quota")
    @Operation(summary = "The OA's Zalo quota, as a provider last reported it (asked again when the reading is older than gateway.quota.max-age)")
    public Uni<QuotaView> quota(@PathParam("oa_id") @Int64Id String oaId) {
        long oa = Int64Ids.parse(oaId).orElseThrow(() -> ProblemException.notFound("OA " + oaId));
        if (!caller.identity().mayUse(oa)) {
            // Not the consumer's OA: as unknown as one nobody reported on, and no provider is asked about it.
            throw ProblemException.notFound("A quota report for OA " + oaId);
        }
        return quotas.current(oa).map(quota -> {
            if (quota == null) {
                throw ProblemException.notFound("A quota report for OA " + oaId);
            }
            return new QuotaView(oaId, quota.remainingQuota(), quota.dailyQuota(),
                    Timestamps.at(quota.reportedAt(), config.timeZone()), Timestamps.at(quota.heldUntil(), config.timeZone()),
                    quota.source());
        });
    }

    @GET
    @Path("/reports/costs")
    @Operation(summary = "What the consumer's messages and journeys cost, per currency")
    public Uni<CostReport> costs(@QueryParam("from") @Timestamp String from, @QueryParam("to") @Timestamp String to,
            @QueryParam("oa_id") @Int64Id String oaId) {
        var start = blank(from) ? null : ProviderTime.read(from, config.timeZone());
        var end = blank(to) ? null : ProviderTime.read(to, config.timeZone());
        Long oa = blank(oaId) ? null : Int64Ids.parse(oaId).getAsLong();
        return ledger.totals(caller.consumerId(), start, end, oa).map(totals -> new CostReport(
                Timestamps.at(start, config.timeZone()),
                Timestamps.at(end, config.timeZone()),
                oa == null ? null : oaId,
                totals.stream().map(t -> new CostReport.Total(t.currency(), t.amount(), t.charges())).toList()));
    }

    private static boolean blank(String text) {
        return text == null || text.isEmpty();
    }
}
