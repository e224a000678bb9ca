package vn.zalogateway.storedtemplate;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Template versions in memory, per consumer. A version never changes once saved, so a (consumer, name, version) is kept
 * until the cache is full (then it starts again: a few templates per consumer, not worth tracking age). Which version is
 * the latest does change, on any replica's PUT: that answer is kept for {@code latestNanos} only (this replica forgets
 * it at once on its own PUT), so another replica's new version is used at most that long after it was saved. A lookup
 * that began before this replica forgot a name must not put back what it read: every forget starts a new generation,
 * and a latest read in an older one is not kept (as {@code consumer.KeyCache} does for keys).
 */
final class TemplateCache {

    private record VersionKey(UUID consumerId, String name, int version) {
    }

    private record NameKey(UUID consumerId, String name) {
    }

    private record Latest(int version, long until) {
    }

    private final Map<VersionKey, TemplateVersion> versions = new ConcurrentHashMap<>();
    private final Map<NameKey, Latest> latest = new ConcurrentHashMap<>();
    private final AtomicLong generation = new AtomicLong();
    private final long latestNanos;
    private final int most;

    TemplateCache(long latestNanos, int most) {
        this.latestNanos = latestNanos;
        this.most = most;
    }

    /** The version if kept; null otherwise. */
    TemplateVersion version(UUID consumerId, String name, int version) {
        return versions.get(new VersionKey(consumerId, name, version));
    }

    /** The latest version's number if known recently enough; null otherwise. */
    Integer latest(UUID consumerId, String name) {
        Latest known = latest.get(new NameKey(consumerId, name));
        return known != null && known.until() - System.nanoTime() > 0 ? known.version() : null;
    }

    /** Take before reading the database; hand back to {@link #putLatest}. */
    long generation() {
        return generation.get();
    }

    /** Keeps a version (immutable: always safe). */
    void put(UUID consumerId, TemplateVersion template) {
        if (versions.size() >= most) {
            versions.clear();
        }
        versions.put(new VersionKey(consumerId, template.name(), template.version()), template);
    }

    /** Keeps which version is the latest, read in generation {@code readIn}, unless a name was forgotten since. */
    void putLatest(UUID consumerId, String name, int version, long readIn) {
        if (generation.get() != readIn) {
            return;
        }
        if (latest.size() >= most) {
            latest.clear();
        }
        NameKey key = new NameKey(consumerId, name);
        Latest entry = new Latest(version, System.nanoTime() + latestNanos);
        latest.put(key, entry);
        if (generation.get() != readIn) {
            latest.remove(key, entry); // forgotten while we were putting
        }
    }

    /** A new version was saved here: which one is the latest must be read again. */
    void forgetLatest(UUID consumerId, String name) {
        generation.incrementAndGet();
        latest.remove(new NameKey(consumerId, name));
    }
}
