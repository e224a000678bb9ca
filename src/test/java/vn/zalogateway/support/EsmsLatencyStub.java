package vn.zalogateway.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;

/**
 * A fast stand-in for eSMS: answers CodeResult 100 after a fixed latency, without holding a thread,
 * and counts how often it saw each RequestId (so a benchmark can prove "exactly once").
 */
public final class EsmsLatencyStub implements AutoCloseable {

    private static final String REQUEST_ID = "\"RequestId\":\"";

    public final Map<String, AtomicInteger> requestsById = new ConcurrentHashMap<>();
    public final AtomicInteger requests = new AtomicInteger();
    private final HttpServer server;

    public EsmsLatencyStub(Vertx vertx, long latencyMillis) throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            requests.incrementAndGet();
            String text = body.toString();
            int start = text.indexOf(REQUEST_ID) + REQUEST_ID.length();
            String id = text.substring(start, text.indexOf('"', start));
            requestsById.computeIfAbsent(id, ignored -> new AtomicInteger()).incrementAndGet();
            vertx.setTimer(latencyMillis, timer -> request.response().putHeader("Content-Type", "application/json")
                    .end("{\"CodeResult\":\"100\",\"CountRegenerate\":0,\"SMSID\":\"sms-" + id + "\"}"));
        })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    public int port() {
        return server.actualPort();
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
