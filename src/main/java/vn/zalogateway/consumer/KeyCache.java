package vn.zalogateway.consumer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import vn.zalogateway.common.auth.ConsumerIdentity;

/**
 * Consumers by key hash, for a short while. A lookup that began before a change (a key revoked) must
 * not put what it read after the change cleared the cache: every clear starts a new generation, and an
 * answer read in an older one is not kept.
 */
public final class KeyCache {

    private record Entry(ConsumerIdentity identity, long until) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final long lifeNanos;
    private final int most;

    public KeyCache(long lifeNanos, int most) {
        this.lifeNanos = lifeNanos;
        this.most = most;
    }

    /** The consumer of a key hash, or null if not cached (or cached too long ago). */
    public ConsumerIdentity get(String hash) {
        Entry entry = entries.get(hash);
        return entry != null && entry.until() - System.nanoTime() > 0 ? entry.identity() : null;
    }

    /** Take before reading the database; hand back to {@link #put}. */
    public long generation() {
        return generation.get();
    }

    /** Keeps what was read in {@code readIn}, unless the cache was cleared since. */
    public void put(String hash, ConsumerIdentity identity, long readIn) {
        if (generation.get() != readIn) {
            return;
        }
        if (entries.size() >= most) {
            entries.clear(); // a few keys per consumer: past this, start again rather than track age
        }
        Entry entry = new Entry(identity, System.nanoTime() + lifeNanos);
        entries.put(hash, entry);
        if (generation.get() != readIn) {
            entries.remove(hash, entry); // cleared while we were putting
        }
    }

    public void clear() {
        generation.incrementAndGet();
        entries.clear();
    }
}
