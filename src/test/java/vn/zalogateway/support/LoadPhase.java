package vn.zalogateway.support;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** What one load phase of a benchmark saw: requests sent, their answers and latencies. */
public final class LoadPhase {

    public final long[] latencies;
    public final AtomicInteger recorded = new AtomicInteger();
    public final AtomicInteger sent = new AtomicInteger();
    /** Answers counted as accepted: 202 (a receipt benchmark records its 200 as 202). */
    public final AtomicInteger accepted = new AtomicInteger();
    public final Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
    public final AtomicLong end = new AtomicLong();
    /** When it began (System.nanoTime). */
    public long start;
    /** eSMS submissions meanwhile, where the benchmark counts them. */
    public int submitted;

    public LoadPhase(int capacity) {
        latencies = new long[capacity];
    }

    public void record(int status, long nanos) {
        int slot = recorded.getAndIncrement();
        if (slot < latencies.length) {
            latencies[slot] = nanos;
        }
        if (status == 202) {
            accepted.incrementAndGet();
        }
        statuses.computeIfAbsent(status, ignored -> new AtomicInteger()).incrementAndGet();
        end.accumulateAndGet(System.nanoTime(), Math::max);
    }

    /** Until every request sent has its answer recorded (each request has a timeout of its own: within 60 s). */
    public void await() {
        org.awaitility.Awaitility.await().alias("every request answered").atMost(Duration.ofSeconds(60)).pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(5)).until(() -> recorded.get() >= sent.get());
    }

    public double seconds() {
        return (end.get() - start) / 1e9;
    }

    public double acceptedRate() {
        return accepted.get() / seconds();
    }

    public double percentile(double p) {
        int n = Math.min(recorded.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        return percentile(sorted, p);
    }

    public String describe(String name) {
        int n = Math.min(recorded.get(), latencies.length);
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        double seconds = seconds();
        List<String> codes = new ArrayList<>();
        statuses.forEach((status, count) -> codes.add(status + "x" + count));
        return String.format("%-34s accepted %6d (%.0f/s)  latency p50 %.1f ms  p90 %.1f ms  p99 %.1f ms  max %.1f ms  [%s]",
                name, accepted.get(), accepted.get() / seconds, percentile(sorted, 0.50), percentile(sorted, 0.90),
                percentile(sorted, 0.99), n == 0 ? 0 : sorted[n - 1] / 1e6, String.join(" ", codes));
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] / 1e6;
    }
}
