package vn.zalogateway.soak;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import vn.zalogateway.support.StandardWebhooks;

/**
 * The consumers' callback receiver, on a port of its own: {@code POST /<consumer name>}, each consumer's callbacks
 * checked against its own signing secret ({@link StandardWebhooks}, written from the specification). It answers 200,
 * or, while the fault plan says so, 500 or nothing at all (the request is held until the hang ends, then dropped). What
 * it keeps: each signed status change it answered 200, as "subject sequence", and how many came unsigned or wrongly signed.
 */
final class CallbackReceiver implements AutoCloseable {

    enum Mode {
        OK, ERROR_500, HANG
    }

    final Set<String> received = ConcurrentHashMap.newKeySet();
    final AtomicLong unsigned = new AtomicLong();
    final AtomicLong answered500 = new AtomicLong();
    final AtomicLong hung = new AtomicLong();
    private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.OK);
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Vertx vertx;
    private final HttpServer server;

    CallbackReceiver(Vertx vertx) throws Exception {
        this.vertx = vertx;
        server = vertx.createHttpServer().requestHandler(this::receive).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** Where a consumer's callbacks go. */
    String url(String consumer) {
        return "http://127.0.0.1:" + server.actualPort() + "/" + consumer;
    }

    void secret(String consumer, String secret) {
        secrets.put(consumer, secret);
    }

    void mode(Mode now) {
        mode.set(now);
    }

    private void receive(HttpServerRequest request) {
        request.body().onSuccess(payload -> {
            Mode now = mode.get();
            if (now == Mode.HANG) {
                hung.incrementAndGet();
                hold(request);
                return;
            }
            if (now == Mode.ERROR_500) {
                answered500.incrementAndGet();
                request.response().setStatusCode(500).end();
                return;
            }
            String body = payload.toString();
            String secret = secrets.get(request.path().substring(1));
            String id = request.getHeader("webhook-id");
            String timestamp = request.getHeader("webhook-timestamp");
            String signature = request.getHeader("webhook-signature");
            if (secret == null || id == null || timestamp == null || signature == null
                    || !StandardWebhooks.verify(secret, id, timestamp, body, signature)) {
                unsigned.incrementAndGet();
                request.response().setStatusCode(401).end();
                return;
            }
            JsonObject data = new JsonObject(body).getJsonObject("data");
            received.add(data.getString("id") + " " + data.getInteger("sequence"));
            request.response().end();
        });
    }

    /** Not answered while the hang lasts (the gateway's own timeout gives up first), then dropped. */
    private void hold(HttpServerRequest request) {
        vertx.setPeriodic(1_000, timer -> {
            if (mode.get() != Mode.HANG || request.response().closed()) {
                vertx.cancelTimer(timer);
                if (!request.response().closed()) {
                    request.connection().close();
                }
            }
        });
    }

    @Override
    public void close() throws Exception {
        server.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
}
