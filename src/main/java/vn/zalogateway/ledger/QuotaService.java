package vn.zalogateway.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import vn.zalogateway.common.BackOnContext;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.message.MessageLifecycle;
import vn.zalogateway.provider.OaQuota;
import vn.zalogateway.provider.ProviderException;
import vn.zalogateway.provider.esms.EsmsClient;
import vn.zalogateway.provider.etelecom.EtelecomClient;

/**
 * An OA's quota as {@code GET /v1/oas/{oa_id}/quota} shows it: the ledger's latest reading while it is younger than
 * {@code gateway.quota.max-age}; otherwise the providers are asked first (eSMS, then eTelecom when eSMS fails or has
 * no answer for the OA), and their answer is noted in the ledger, reported now. An answer that shows quota releases
 * the OA's held messages in the same transaction. Asking is bounded per replica ({@link QuotaAsks}), runs on its own
 * context (a caller that goes away does not cut it short), and holds no transaction while a provider is asked.
 */
@ApplicationScoped
public class QuotaService {

    private final Ledger ledger;
    private final MessageLifecycle messages;
    private final EsmsClient esms;
    private final EtelecomClient etelecom;
    private final Pool pool;
    private final Vertx vertx;
    private final Duration maxAge;
    private final QuotaAsks asks = new QuotaAsks();

    QuotaService(Ledger ledger, MessageLifecycle messages, EsmsClient esms, EtelecomClient etelecom, Pool pool, Vertx vertx,
            GatewayConfig config) {
        this.ledger = ledger;
        this.messages = messages;
        this.esms = esms;
        this.etelecom = etelecom;
        this.pool = pool;
        this.vertx = vertx;
        this.maxAge = config.quota().maxAge();
    }

    /**
     * The OA's latest quota, asked of a provider first when the reading is older than max-age or there is none; null
     * when nothing is known. The caller has checked that the OA is its consumer's. A provider that fails or is slow
     * leaves the known reading as the answer.
     */
    public Uni<Ledger.Quota> current(long oaId) {
        return ledger.quota(oaId).chain(known -> {
            Instant now = Instant.now();
            if (known != null && known.reportedAt().isAfter(now.minus(maxAge))) {
                return Uni.createFrom().item(known);
            }
            CompletionStage<Boolean> asked = asks.join(oaId, now, maxAge, () -> ask(oaId));
            if (asked == null) {
                return Uni.createFrom().item(known);
            }
            // The question ends on its own context: the answer comes back to the request's.
            Context context = Vertx.currentContext();
            Uni<Ledger.Quota> answer = Uni.createFrom().completionStage(asked)
                    .emitOn(task -> BackOnContext.run(context, task))
                    .chain(answered -> Boolean.TRUE.equals(answered) ? ledger.quota(oaId) : Uni.createFrom().item(known));
            return known == null ? answer : answer.onFailure().recoverWithItem(known);
        });
    }

    /** eSMS, then eTelecom; whether one answered (its reading then noted). Started once per question. */
    private CompletionStage<Boolean> ask(long oaId) {
        return FreshContext.run(vertx, () -> esms.quota(oaId)
                .onFailure().recoverWithUni(failure -> {
                    Log.debugf("eSMS gave no quota for OA %d (%s); asking eTelecom", oaId, why(EsmsClient.PROVIDER, failure));
                    return etelecom.quota(oaId);
                })
                .onFailure().recoverWithItem(failure -> {
                    Log.infof("No provider gave the quota of OA %d (eTelecom: %s); what the ledger knew stands", oaId,
                            why(EtelecomClient.PROVIDER, failure));
                    return null;
                })
                .chain(quota -> quota == null ? Uni.createFrom().item(false) : note(oaId, quota).replaceWith(true)))
                .subscribeAsCompletionStage();
    }

    /** The provider's answer as the ledger's reading, now; quota again releases the OA's held messages with it. */
    private Uni<Void> note(long oaId, OaQuota quota) {
        QuotaReading reading = new QuotaReading(oaId, quota.remainingQuota(), quota.dailyQuota(), Instant.now(),
                QuotaReading.Source.PROVIDER);
        return pool.withTransaction(connection -> ledger.noteQuotas(connection, List.of(reading))
                .chain(() -> reading.remainingQuota() > 0 ? messages.releaseHeld(connection, new Long[] { oaId })
                        : Uni.createFrom().voidItem()));
    }

    private static String why(String provider, Throwable failure) {
        return ProviderException.classify(provider, failure).getMessage();
    }
}
