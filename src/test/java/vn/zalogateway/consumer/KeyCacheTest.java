package vn.zalogateway.consumer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import vn.zalogateway.common.auth.ConsumerIdentity;

class KeyCacheTest {

    static final ConsumerIdentity SHOP = ConsumerIdentity.DEFAULT;

    @Test
    void keepsWhatWasReadSinceTheLastClear() {
        KeyCache cache = new KeyCache(60_000_000_000L, 10);
        cache.put("a", SHOP, cache.generation());
        assertThat(cache.get("a")).isEqualTo(SHOP);
        assertThat(cache.get("b")).isNull();
    }

    @Test
    void aLookupThatBeganBeforeARevocationDoesNotBringTheKeyBack() {
        KeyCache cache = new KeyCache(60_000_000_000L, 10);
        long readIn = cache.generation(); // the database is asked: the key is still valid
        cache.clear();                    // the key is revoked meanwhile: NOTIFY clears the cache
        cache.put("a", SHOP, readIn);     // the old answer arrives
        assertThat(cache.get("a")).isNull();
    }

    @Test
    void forgetsAfterItsLife() {
        KeyCache cache = new KeyCache(0, 10);
        cache.put("a", SHOP, cache.generation());
        assertThat(cache.get("a")).isNull();
    }

    @Test
    void startsAgainWhenFull() {
        KeyCache cache = new KeyCache(60_000_000_000L, 2);
        cache.put("a", SHOP, cache.generation());
        cache.put("b", SHOP, cache.generation());
        cache.put("c", SHOP, cache.generation());
        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("c")).isEqualTo(SHOP);
    }
}
