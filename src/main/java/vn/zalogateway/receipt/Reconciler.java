package vn.zalogateway.receipt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import vn.zalogateway.common.FreshContext;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.lease.Leases;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.provider.esms.EsmsStatusClient;

/**
 * eSMS calls our callback once, retrying only when we time out: a callback lost any other way would
 * leave its message SUBMITTED for ever. Messages waiting too long are looked up with GetCallback, each
 * on its own schedule (after gateway.receipts.reconcile-after, then twice as long each time, a bounded
 * number of times, and once more at gateway.receipts.wait); what comes back is taken in exactly like a
 * callback. A message still unknown after that last look is UNCONFIRMED.
 *
 * <p>One replica at a time reconciles (it holds the {@code reconciler} lease, renewed before every call),
 * and spaces its calls by gateway.receipts.reconcile-rate, so replicas together stay within eSMS's limit.
 * A failed call costs only its own messages' look: the round goes on.
 */
@ApplicationScoped
public class Reconciler {

    static final String JOB = "reconciler";
    /** Messages looked up per round, at most (GetCallback takes 200 SMSIDs a call). */
    static final int MOST_PER_ROUND = 2000;

    private final EsmsStatusClient esmsStatus;
    private final ReceiptService receipts;
    private final GatewayConfig.Receipts settings;
    private final boolean callbacksConfigured;
    private final Leases leases;
    private final Pool pool;
    private final ObjectMapper json;
    private final Vertx vertx;
    private final AtomicBoolean running = new AtomicBoolean();
    private long timer = -1;

    Reconciler(EsmsStatusClient esmsStatus, ReceiptService receipts, GatewayConfig config, Leases leases, Pool pool,
            ObjectMapper json, Vertx vertx) {
        this.esmsStatus = esmsStatus;
        this.receipts = receipts;
        this.settings = config.receipts();
        this.callbacksConfigured = config.esms().callbackUrl().isPresent();
        this.leases = leases;
        this.pool = pool;
        this.json = json;
        this.vertx = vertx;
    }

    void start(@Observes StartupEvent started) {
        if (!callbacksConfigured) {
            Log.info("No gateway.esms.callback-url: eSMS keeps no callbacks to pull back, reconciliation is off");
            return;
        }
        timer = vertx.setPeriodic(settings.reconcileInterval().toMillis(), id -> {
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

    /**
     * One look, due now, at one message. Not {@code pollable}: eSMS's sandbox messages (eSMS keeps and reports
     * none) and journey messages (only NXCloud reports those): nobody is asked; they have one look, at the wait.
     */
    record Due(UUID id, long oaId, String smsId, int looks, boolean pollable) {
    }

    /** One round, if this replica holds the job: the callbacks found, taken in; then the unconfirmed marked. */
    public Uni<Integer> reconcile() {
        return leases.hold(JOB, lease()).chain(held -> held ? round() : Uni.createFrom().item(0));
    }

    private Uni<Integer> round() {
        return due().chain(due -> {
            Set<UUID> answered = ConcurrentHashMap.newKeySet();
            Duration spacing = Duration.ofMillis(Math.max(1, 1000 / Math.max(1, settings.reconcileRate())));
            return Multi.createFrom().iterable(calls(due))
                    .onItem().transformToUniAndConcatenate(call -> leases.hold(JOB, lease()).chain(stillHeld -> stillHeld
                            ? look(call, answered).onItem().delayIt().by(spacing)
                            : Uni.createFrom().failure(new IllegalStateException("the reconciler lease was lost"))))
                    .collect().asList()
                    .map(found -> found.stream().mapToInt(Integer::intValue).sum())
                    .onFailure(IllegalStateException.class).recoverWithItem(0)
                    .call(() -> unconfirmed(due, answered));
        });
    }

    /** Long enough for a whole round at the configured rate; renewed before each call anyway. */
    private Duration lease() {
        return settings.reconcileInterval().plusMinutes(1);
    }

    /** The messages due a look, marked looked (their next look scheduled) before any call: a failure never stalls them. */
    private Uni<List<Due>> due() {
        return pool.preparedQuery("""
                with due as (
                    select id from messages
                    where status = 'SUBMITTED' and next_look_at <= now()
                    order by next_look_at limit $1
                    for update skip locked)
                update messages m set looks = case when m.kind = 'transaction' and not m.sandbox then m.looks + 1
                                                   else greatest(m.looks, $2) + 1 end,
                    next_look_at = case when m.looks + 1 >= $2 then greatest(m.submitted_at + $4 * interval '1 millisecond', now())
                                        else now() + $3 * interval '1 millisecond' * power(2, m.looks + 1) end
                from due where m.id = due.id
                returning m.id, m.oa_id, m.provider_message_id, m.looks, m.kind = 'transaction' and not m.sandbox as pollable""")
                .execute(Tuple.of(MOST_PER_ROUND, settings.maxLooks(), settings.reconcileAfter().toMillis(),
                        settings.waitFor().toMillis()))
                .map(rows -> {
                    List<Due> due = new ArrayList<>();
                    for (Row row : rows) {
                        due.add(new Due(row.getUUID("id"), row.getLong("oa_id"), row.getString("provider_message_id"),
                                row.getInteger("looks"), row.getBoolean("pollable")));
                    }
                    return due;
                });
    }

    /** One GetCallback call per OA and 200 SMSIDs; messages without an SMSID cannot be looked up. */
    private static List<List<Due>> calls(List<Due> due) {
        Map<Long, List<Due>> byOa = new LinkedHashMap<>();
        due.stream().filter(message -> message.pollable() && message.smsId() != null)
                .forEach(message -> byOa.computeIfAbsent(message.oaId(), oa -> new ArrayList<>()).add(message));
        List<List<Due>> calls = new ArrayList<>();
        byOa.values().forEach(messages -> {
            for (int from = 0; from < messages.size(); from += EsmsStatusClient.MOST_PER_CALL) {
                calls.add(messages.subList(from, Math.min(messages.size(), from + EsmsStatusClient.MOST_PER_CALL)));
            }
        });
        return calls;
    }

    /** Looks up one OA's batch; the callbacks found, taken in. A failed call is logged and costs only this batch. */
    private Uni<Integer> look(List<Due> batch, Set<UUID> answered) {
        return esmsStatus.callbacks(batch.get(0).oaId(), batch.stream().map(Due::smsId).toList())
                .invoke(() -> batch.forEach(message -> answered.add(message.id())))
                .onItem().transformToMulti(found -> Multi.createFrom().iterable(found))
                .onItem().transformToUniAndConcatenate(this::takeIn)
                .collect().asList().map(List::size)
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("GetCallback for %d messages of OA %d failed; they are looked up again later: %s",
                            batch.size(), batch.get(0).oaId(), failure.toString());
                    return 0;
                });
    }

    /**
     * Messages whose last look is done and answered, still SUBMITTED, become UNCONFIRMED; so do those
     * past the wait that have no SMSID to look up with (eSMS answered 124 and no callback named them), and
     * those nobody can be asked about (sandbox and journey messages).
     */
    private Uni<Void> unconfirmed(List<Due> due, Set<UUID> answered) {
        List<UUID> lastLooked = due.stream().filter(message -> message.looks() > settings.maxLooks())
                .filter(message -> !message.pollable() || message.smsId() == null || answered.contains(message.id()))
                .map(Due::id).toList();
        if (lastLooked.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return pool.preparedQuery("""
                update messages set status = 'UNCONFIRMED', updated_at = now(), next_look_at = null
                where id = any($1) and status = 'SUBMITTED'""")
                .execute(Tuple.of(lastLooked.toArray(UUID[]::new)))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        Log.warnf("%d messages got no receipt within %s, even when asked: UNCONFIRMED", rows.rowCount(),
                                settings.waitFor());
                    }
                })
                .replaceWithVoid();
    }

    /** Takes one callback in; true whether it was new, a repeat, or unreadable (then kept for inspection). */
    private Uni<Integer> takeIn(Map<String, String> callback) {
        String raw;
        try {
            raw = json.writeValueAsString(callback);
        } catch (JsonProcessingException e) {
            raw = callback.toString();
        }
        String body = raw;
        return FreshContext.run(vertx, () -> receipts.receive(ReceiptService.ESMS, body, () -> EsmsCallbacks.parse(callback)))
                .replaceWith(1).onFailure(ProblemException.class).recoverWithItem(1);
    }
}
