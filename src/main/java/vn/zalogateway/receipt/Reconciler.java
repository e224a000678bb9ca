package vn.zalogateway.receipt;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.lease.Leases;
import vn.zalogateway.common.problem.ProblemException;
import vn.zalogateway.message.MessageLifecycle;
import vn.zalogateway.provider.esms.EsmsStatusClient;

/**
 * eSMS calls our callback once, retrying only when we time out: a callback lost any other way would leave
 * its message without a receipt. Messages eSMS took (transaction messages outside its sandbox) that wait too
 * long are looked up with GetCallback, each on the schedule {@link MessageLifecycle} keeps (after
 * gateway.receipts.reconcile-after, then twice as long each time, a bounded number of times, and a last time
 * at gateway.receipts.wait); what comes back is taken in exactly like a callback. Whether a message ends
 * UNCONFIRMED does not depend on this: the message's own wait decides it, for every provider.
 *
 * <p>One replica at a time reconciles (it holds the {@code reconciler} lease, renewed before every call),
 * and spaces its calls by gateway.receipts.reconcile-rate, so replicas together stay within eSMS's limit.
 * A failed call costs only its own messages' look: the round goes on. Without gateway.esms.callback-url
 * eSMS keeps no callbacks to pull back, and nothing is looked up.
 */
@ApplicationScoped
public class Reconciler {

    static final String JOB = "reconciler";
    /** Messages looked up per round, at most (GetCallback takes 200 SMSIDs a call). */
    static final int MOST_PER_ROUND = 2000;

    private final EsmsStatusClient esmsStatus;
    private final ReceiptService receipts;
    private final MessageLifecycle messages;
    private final GatewayConfig.Receipts settings;
    private final boolean callbacksConfigured;
    private final Leases leases;
    private final ObjectMapper json;

    Reconciler(EsmsStatusClient esmsStatus, ReceiptService receipts, MessageLifecycle messages, GatewayConfig config,
            Leases leases, ObjectMapper json) {
        this.esmsStatus = esmsStatus;
        this.receipts = receipts;
        this.messages = messages;
        this.settings = config.receipts();
        this.callbacksConfigured = config.esms().callbackUrl().isPresent();
        this.leases = leases;
        this.json = json;
    }

    @Scheduled(identity = JOB, every = "${gateway.receipts.reconcile-interval}", delayed = "${gateway.receipts.reconcile-interval}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduled() {
        if (!callbacksConfigured) {
            return Uni.createFrom().voidItem();
        }
        return reconcile().replaceWithVoid().onFailure().recoverWithUni(failure -> {
            Log.warnf("Reconciling eSMS callbacks failed; the next round retries: %s", failure.toString());
            return Uni.createFrom().voidItem();
        });
    }

    /** One round, if this replica holds the job: the callbacks found, taken in. */
    public Uni<Integer> reconcile() {
        return leases.hold(JOB, lease()).chain(held -> held ? round() : Uni.createFrom().item(0));
    }

    private Uni<Integer> round() {
        return messages.dueForLook(MOST_PER_ROUND, settings.maxLooks(), settings.reconcileAfter(), settings.waitFor())
                .chain(due -> {
                    Duration spacing = Duration.ofMillis(Math.max(1, 1000 / Math.max(1, settings.reconcileRate())));
                    return Multi.createFrom().iterable(calls(due))
                            .onItem().transformToUniAndConcatenate(call -> leases.hold(JOB, lease()).chain(stillHeld -> stillHeld
                                    ? look(call).onItem().delayIt().by(spacing)
                                    : Uni.createFrom().failure(new IllegalStateException("the reconciler lease was lost"))))
                            .collect().asList()
                            .map(found -> found.stream().mapToInt(Integer::intValue).sum())
                            .onFailure(IllegalStateException.class).recoverWithItem(0);
                });
    }

    /** Long enough for a whole round at the configured rate; renewed before each call anyway. */
    private Duration lease() {
        return settings.reconcileInterval().plusMinutes(1);
    }

    /** One GetCallback call per OA and 200 SMSIDs; messages without an SMSID cannot be looked up. */
    private static List<List<MessageLifecycle.Due>> calls(List<MessageLifecycle.Due> due) {
        Map<Long, List<MessageLifecycle.Due>> byOa = new LinkedHashMap<>();
        due.stream().filter(message -> message.smsId() != null)
                .forEach(message -> byOa.computeIfAbsent(message.oaId(), oa -> new ArrayList<>()).add(message));
        List<List<MessageLifecycle.Due>> calls = new ArrayList<>();
        byOa.values().forEach(messages -> {
            for (int from = 0; from < messages.size(); from += EsmsStatusClient.MOST_PER_CALL) {
                calls.add(messages.subList(from, Math.min(messages.size(), from + EsmsStatusClient.MOST_PER_CALL)));
            }
        });
        return calls;
    }

    /** Looks up one OA's batch; the callbacks found, taken in. A failed call is logged and costs only this batch. */
    private Uni<Integer> look(List<MessageLifecycle.Due> batch) {
        return esmsStatus.callbacks(batch.get(0).oaId(), batch.stream().map(MessageLifecycle.Due::smsId).toList())
                .onItem().transformToMulti(found -> Multi.createFrom().iterable(found))
                .onItem().transformToUniAndConcatenate(this::takeIn)
                .collect().asList().map(List::size)
                .onFailure().recoverWithItem(failure -> {
                    Log.warnf("GetCallback for %d messages of OA %d failed; they are looked up again later: %s",
                            batch.size(), batch.get(0).oaId(), failure.toString());
                    return 0;
                });
    }

    /** Takes one callback in; counted whether it was new, a repeat, or unreadable (then kept for inspection). */
    private Uni<Integer> takeIn(Map<String, String> callback) {
        String raw;
        try {
            raw = json.writeValueAsString(callback);
        } catch (JsonProcessingException e) {
            raw = callback.toString();
        }
        return receipts.receive(ReceiptService.ESMS, raw, () -> EsmsCallbacks.parse(callback))
                .replaceWith(1).onFailure(ProblemException.class).recoverWithItem(1);
    }
}
