package vn.zalogateway.consumer;

import java.util.Arrays;

/**
 * Every live (issued, not revoked) API key, by the first 64 bits of its SHA-256: the negative cache of
 * {@link ConsumerKeys}. A key whose hash is not here is unknown without asking the database, however
 * many different keys a flood of guesses brings; one that is here is looked up (cache, else database),
 * so a rare collision of 64-bit prefixes costs a query, never a wrong answer. 8 bytes a key.
 */
final class LiveKeys {

    private final long[] sortedPrefixes;

    private LiveKeys(long[] sortedPrefixes) {
        this.sortedPrefixes = sortedPrefixes;
    }

    /** @param prefixes the first 8 bytes of each live key's SHA-256, big-endian, in any order */
    static LiveKeys of(long[] prefixes) {
        long[] sorted = prefixes.clone();
        Arrays.sort(sorted);
        return new LiveKeys(sorted);
    }

    /** Whether a live key may have this SHA-256; false means it is certainly not a live key. */
    boolean mayHold(byte[] sha256) {
        return Arrays.binarySearch(sortedPrefixes, prefix(sha256)) >= 0;
    }

    int size() {
        return sortedPrefixes.length;
    }

    /** The first 8 bytes, big-endian: what {@code ('x' || left(key_hash, 16))::bit(64)::bigint} gives in SQL. */
    static long prefix(byte[] sha256) {
        long prefix = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            prefix = prefix << 8 | (sha256[i] & 0xffL);
        }
        return prefix;
    }
}
