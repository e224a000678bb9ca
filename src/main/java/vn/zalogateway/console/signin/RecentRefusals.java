package vn.zalogateway.console.signin;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What this replica last heard from PostgreSQL about sign-in keys over their limit, and until when: a flood of
 * guesses at a name or from an address already refused is refused again here, without a statement per guess.
 * Only ever a copy of the shared verdict (an entry ends when its window does), so it can be forgotten at any
 * time. Bounded: past {@code capacity} keys (names and addresses are the stranger's to choose) the oldest is
 * dropped, one at a time, never all at once.
 */
public final class RecentRefusals {

    private final int capacity;
    /** Insertion order: the first entry is the one heard of longest ago. */
    private final LinkedHashMap<String, Instant> until = new LinkedHashMap<>();

    public RecentRefusals(int capacity) {
        this.capacity = capacity;
    }

    /** Remembers that {@code key} is refused until {@code end}. */
    public synchronized void refuse(String key, Instant end) {
        until.remove(key); // put again: now the newest
        until.put(key, end);
        Iterator<Map.Entry<String, Instant>> oldest = until.entrySet().iterator();
        while (until.size() > capacity) {
            oldest.next();
            oldest.remove();
        }
    }

    /** Until when {@code key} is refused, if this replica knows it is now. */
    public synchronized Optional<Instant> refusedUntil(String key, Instant now) {
        Instant end = until.get(key);
        if (end == null) {
            return Optional.empty();
        }
        if (!end.isAfter(now)) {
            until.remove(key);
            return Optional.empty();
        }
        return Optional.of(end);
    }

    public synchronized int size() {
        return until.size();
    }
}
