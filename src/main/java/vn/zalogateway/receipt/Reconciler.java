package vn.zalogateway.receipt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.provider.esms.EsmsStatusClient;

/**
 * eSMS calls our callback once, retrying only when we time out: a callback lost any other way would
 * leave its message SUBMITTED for ever. Messages waiting too long are looked up with GetCallback, and
 * what comes back is taken in exactly like a callback (deduplicated, forward only).
 */
@ApplicationScoped
public class Reconciler {

    private static final int MOST_PER_ROUND = 2000;

    private final EsmsStatusClient esmsStatus;
    private final ReceiptService receipts;
    private final GatewayConfig config;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    Reconciler(EsmsStatusClient esmsStatus, ReceiptService receipts, GatewayConfig config, ObjectMapper json, Vertx vertx) {
        this.esmsStatus = esmsStatus;
        this.receipts = receipts;
        this.config = config;
        this.json = json;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent started) {
        if (config.esms().callbackUrl().isEmpty()) {
            Log.info("No gateway.esms.callback-url: eSMS keeps no callbacks to pull back, reconciliation is off");
            return;
        }
        timer = vertx.setPeriodic(config.receipts().reconcileInterval().toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                FreshContext.run(vertx, this::reconcile).subscribe().with(
                        found -> running.set(false),
                        failure -> {
                            running.set(false);
                            Log.warnf("Reconciling eSMS callbacks failed; the next round retries: %s", failure.toString());
                        });
            }
        });
    }

    void stop(@Observes ShutdownEvent shutdown) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** One round: the callbacks found for messages stuck in SUBMITTED, taken in; the number found. */
    public Uni<Integer> reconcile() {
        return stuckMessages().chain(byOa -> {
            List<Map.Entry<Long, List<String>>> calls = new ArrayList<>();
            byOa.forEach((oa, smsIds) -> {
                for (int from = 0; from < smsIds.size(); from += EsmsStatusClient.MOST_PER_CALL) {
                    calls.add(Map.entry(oa, smsIds.subList(from, Math.min(smsIds.size(), from + EsmsStatusClient.MOST_PER_CALL))));
                }
            });
            // One call at a time keeps well under eSMS's 20 requests per second.
            return Multi.createFrom().iterable(calls)
                    .onItem().transformToUniAndConcatenate(call -> esmsStatus.callbacks(call.getKey(), call.getValue()))
                    .onItem().transformToMultiAndConcatenate(found -> Multi.createFrom().iterable(found))
                    .onItem().transformToUniAndConcatenate(this::takeIn)
                    .collect().asList().map(List::size);
        });
    }

    private Uni<Map<Long, List<String>>> stuckMessages() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                select m.oa_id, m.provider_message_id from messages m
                where m.status = 'SUBMITTED' and m.provider_message_id is not null
                  and m.submitted_at < now() - :after * interval '1 millisecond'
                  and not exists (select 1 from receipts r where r.message_ref = m.id and r.provider = 'esms'
                                  and r.status in ('success', 'failed'))
                order by m.submitted_at limit :limit""", Object[].class)
                .setParameter("after", config.receipts().reconcileAfter().toMillis())
                .setParameter("limit", MOST_PER_ROUND)
                .getResultList()))
                .map(rows -> {
                    Map<Long, List<String>> byOa = new LinkedHashMap<>();
                    rows.forEach(row -> byOa.computeIfAbsent(((Number) row[0]).longValue(), oa -> new ArrayList<>())
                            .add((String) row[1]));
                    return byOa;
                });
    }

    /** Takes one callback in; true whether it was new, a repeat, or unreadable (then kept for inspection). */
    private Uni<Boolean> takeIn(Map<String, String> callback) {
        String raw;
        try {
            raw = json.writeValueAsString(callback);
        } catch (JsonProcessingException e) {
            raw = callback.toString();
        }
        String body = raw;
        return FreshContext.run(vertx, () -> receipts.receive(ReceiptService.ESMS, body, () -> EsmsCallbacks.parse(callback)))
                .replaceWith(true).onFailure(ProblemException.class).recoverWithItem(true);
    }
}
