package vn.zalogateway.soak;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

import vn.zalogateway.support.GatewayProcess;

/**
 * The two gateway replicas (the packaged jar, or the native binary when the build made one: {@link GatewayProcess}),
 * each on fixed ports so that a killed one comes back where the {@link Balancer} looks. Every start has its own log,
 * target/soak-replica-N-K.log.
 */
final class Replicas implements AutoCloseable {

    private final Map<String, String> environment;
    private final List<Integer> ports;
    private final List<Integer> managementPorts;
    private final AtomicReferenceArray<GatewayProcess> running;
    private final AtomicInteger starts = new AtomicInteger();
    final AtomicInteger kills = new AtomicInteger();
    /** When each kill happened (epoch milliseconds). */
    final List<Long> killedAt = new java.util.concurrent.CopyOnWriteArrayList<>();

    Replicas(Map<String, String> environment, List<Integer> ports, List<Integer> managementPorts) {
        this.environment = environment;
        this.ports = ports;
        this.managementPorts = managementPorts;
        this.running = new AtomicReferenceArray<>(ports.size());
    }

    /** Starts replica {@code i} and returns once it is ready (its readiness needs PostgreSQL). */
    void start(int i) throws Exception {
        Map<String, String> own = new java.util.HashMap<>(environment);
        own.put("QUARKUS_HTTP_PORT", Integer.toString(ports.get(i)));
        own.put("QUARKUS_MANAGEMENT_PORT", Integer.toString(managementPorts.get(i)));
        running.set(i, new GatewayProcess(own, GatewayProcess.logFile("soak-replica-" + (i + 1) + "-" + starts.incrementAndGet()
                + ".log").toPath()));
    }

    boolean up(int i) {
        return running.get(i) != null;
    }

    /** kill -9 of replica {@code i}. */
    void kill(int i) throws InterruptedException {
        GatewayProcess replica = running.getAndSet(i, null);
        if (replica != null) {
            replica.kill();
            killedAt.add(System.currentTimeMillis());
            kills.incrementAndGet();
        }
    }

    GatewayProcess get(int i) {
        return running.get(i);
    }

    int size() {
        return ports.size();
    }

    @Override
    public void close() throws Exception {
        for (int i = 0; i < running.length(); i++) {
            GatewayProcess replica = running.getAndSet(i, null);
            if (replica != null) {
                replica.close();
            }
        }
    }
}
