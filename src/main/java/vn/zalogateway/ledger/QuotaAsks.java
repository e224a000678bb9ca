package vn.zalogateway.ledger;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What keeps one replica's quota questions to the providers bounded: at most one question in flight per OA (whoever
 * asks meanwhile shares its answer), and an OA asked at most once per {@code maxAge}, whatever the answer was. A
 * plain class: the caller says what "now" is and how to ask.
 */
final class QuotaAsks {

    /** OAs remembered as asked within maxAge, at most: past it no new OA is asked until older questions age out. */
    static final int MOST_REMEMBERED = 1_000;

    private final Map<Long, CompletableFuture<Boolean>> inFlight = new ConcurrentHashMap<>();
    private final Map<Long, Instant> asked = new ConcurrentHashMap<>();

    /**
     * The question under way about the OA, to share; else a new one, begun with {@code ask}, when the OA was not asked
     * since {@code now - maxAge}; else null (asked lately, or too many OAs asked lately). The stage completes with
     * whether a provider answered.
     */
    CompletionStage<Boolean> join(long oaId, Instant now, Duration maxAge, Supplier<CompletionStage<Boolean>> ask) {
        CompletableFuture<Boolean> running = inFlight.get(oaId);
        if (running != null) {
            return running;
        }
        Instant since = now.minus(maxAge);
        if (askedSince(oaId, since) || !roomFor(oaId, since)) {
            return null;
        }
        CompletableFuture<Boolean> mine = new CompletableFuture<>();
        CompletableFuture<Boolean> theirs = inFlight.putIfAbsent(oaId, mine);
        if (theirs != null) {
            return theirs;
        }
        // A question that ended between the two looks above counts too: it was this one's turn, not a second's.
        if (askedSince(oaId, since)) {
            inFlight.remove(oaId, mine);
            return null;
        }
        asked.put(oaId, now);
        CompletionStage<Boolean> answer;
        try {
            answer = ask.get();
        } catch (RuntimeException failed) {
            answer = CompletableFuture.failedFuture(failed);
        }
        answer.whenComplete((answered, failure) -> {
            inFlight.remove(oaId, mine);
            if (failure != null) {
                mine.completeExceptionally(failure);
            } else {
                mine.complete(answered);
            }
        });
        return mine;
    }

    /** Questions in flight now (for tests and metrics). */
    int inFlight() {
        return inFlight.size();
    }

    private boolean askedSince(long oaId, Instant since) {
        Instant last = asked.get(oaId);
        return last != null && last.isAfter(since);
    }

    private boolean roomFor(long oaId, Instant since) {
        if (asked.size() < MOST_REMEMBERED || asked.containsKey(oaId)) {
            return true;
        }
        asked.values().removeIf(at -> !at.isAfter(since));
        return asked.size() < MOST_REMEMBERED;
    }
}
