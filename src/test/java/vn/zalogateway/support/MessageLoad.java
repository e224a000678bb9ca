package vn.zalogateway.support;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;

/**
 * {@code POST /v1/messages} load on a packaged gateway, open loop (a request every 1/rate seconds whatever the
 * answers do, latency counted from when a request was due, so that a stall shows up instead of hiding) or closed
 * loop; it keeps the id of every message accepted.
 */
public final class MessageLoad {

    /** The id of every message a 202 accepted. */
    public final Set<String> acceptedIds = ConcurrentHashMap.newKeySet();

    /** One request of a paced run: the {@code i}-th, due at {@code due} (System.nanoTime). */
    public interface Paced {
        void send(int i, long due);
    }

    /**
     * Calls {@code send} {@code total} times at {@code rate} a second, each when it is due, whatever the answers
     * (an open loop); returns once all are sent, with the time (System.nanoTime) the first was due. A 1 ms timer
     * on the Vert.x event loop sends whatever has fallen due.
     */
    public static long paced(Vertx vertx, int rate, int total, Paced send) throws InterruptedException {
        long interval = 1_000_000_000L / rate;
        long start = System.nanoTime();
        AtomicInteger next = new AtomicInteger();
        CountDownLatch allSent = new CountDownLatch(1);
        vertx.setPeriodic(1, timer -> {
            long now = System.nanoTime();
            int i = next.get();
            while (i < total && start + i * interval <= now) {
                send.send(i, start + i * interval);
                i++;
            }
            next.set(i);
            if (i == total) {
                vertx.cancelTimer(timer);
                allSent.countDown();
            }
        });
        allSent.await();
        return start;
    }

    /** Requests sent at a fixed rate for some seconds; each latency is counted from when it was due. */
    public LoadPhase openLoop(Vertx vertx, HttpClient client, Buffer body, int rate, int seconds) throws InterruptedException {
        int total = rate * seconds;
        LoadPhase phase = new LoadPhase(total);
        phase.start = paced(vertx, rate, total, (i, due) -> send(client, body, phase, due));
        phase.await();
        return phase;
    }

    /** As fast as the gateway answers, with a fixed number of requests in flight. */
    public LoadPhase closedLoop(Vertx vertx, HttpClient client, Buffer body, int inFlight, int seconds) throws InterruptedException {
        LoadPhase phase = new LoadPhase(1_000_000);
        phase.start = System.nanoTime();
        long deadline = phase.start + TimeUnit.SECONDS.toNanos(seconds);
        CountDownLatch workers = new CountDownLatch(inFlight);
        vertx.runOnContext(ignored -> {
            for (int w = 0; w < inFlight; w++) {
                loop(client, body, phase, deadline, workers);
            }
        });
        workers.await();
        phase.await();
        return phase;
    }

    private void loop(HttpClient client, Buffer body, LoadPhase phase, long deadline, CountDownLatch workers) {
        if (System.nanoTime() >= deadline) {
            workers.countDown();
            return;
        }
        send(client, body, phase, System.nanoTime()).onComplete(done -> loop(client, body, phase, deadline, workers));
    }

    private Future<Void> send(HttpClient client, Buffer body, LoadPhase phase, long due) {
        phase.sent.incrementAndGet();
        return GatewayCalls.send(client, GatewayCalls.newMessage(10_000), body).map(answer -> {
            phase.record(answer.status(), System.nanoTime() - due);
            if (answer.status() == 202) {
                acceptedIds.add(GatewayCalls.acceptedId(answer.body()));
            }
            return null;
        });
    }
}
