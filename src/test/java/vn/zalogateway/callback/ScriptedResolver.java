package vn.zalogateway.callback;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import vn.zalogateway.consumer.CallbackUrls;

/**
 * The callback URL resolver of every {@code @QuarkusTest} (in place of DNS, the default bean): a host a test
 * scripted gets the test's answers in turn, the last one again once they run out, as a consumer's own DNS could
 * answer; any other host is looked up as usual. Counts the questions, per host.
 */
@Singleton
public class ScriptedResolver implements CallbackUrls.Resolver {

    private final Map<String, ConcurrentLinkedQueue<String>> scripts = new ConcurrentHashMap<>();
    private final Map<String, String> last = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> asked = new ConcurrentHashMap<>();

    /**
     * {@code host} resolves to each of {@code addresses} in turn (IP literals), then to the last one for ever;
     * its count of lookups starts again.
     */
    public void answer(String host, String... addresses) {
        last.remove(host);
        asked.remove(host);
        scripts.put(host, new ConcurrentLinkedQueue<>(List.of(addresses)));
    }

    /** How often {@code host} was looked up since its answers were given. */
    public long asked(String host) {
        AtomicLong count = asked.get(host);
        return count == null ? 0 : count.get();
    }

    /** {@code host} is looked up in DNS again. */
    public void forget(String host) {
        scripts.remove(host);
        last.remove(host);
    }

    @Override
    public List<InetAddress> resolve(String host) throws UnknownHostException {
        asked.computeIfAbsent(host, counted -> new AtomicLong()).incrementAndGet();
        ConcurrentLinkedQueue<String> script = scripts.get(host);
        if (script == null) {
            return CallbackUrls.DNS.resolve(host);
        }
        String next = script.poll();
        String answer = next != null ? next : last.get(host);
        if (answer == null) {
            throw new UnknownHostException(host);
        }
        last.put(host, answer);
        return new ArrayList<>(List.of(InetAddress.getByName(answer)));
    }
}
