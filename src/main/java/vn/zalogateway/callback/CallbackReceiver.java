package vn.zalogateway.callback;

import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.UniEmitter;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import vn.zalogateway.consumer.CallbackUrls;

/**
 * The consumers' callback URLs over HTTP: one POST to the address a URL was checked at ({@link CallbackUrls.Target}),
 * never to a new lookup of its host, with {@code Host}, the TLS server name (SNI) and the certificate check all
 * on the URL's host. Redirects are not followed. Only the answer's status counts: its body is read and dropped,
 * {@value #BODY_CAP} bytes at most and no longer than the timeout, then the connection is closed, so a receiver
 * that streams without end costs neither memory nor time. The attempt ends when the body has (or was cut): a
 * connection stays busy no longer than its consumer's in-flight slot, and one read to its end serves the next.
 */
final class CallbackReceiver {

    /** The most of an answer's body that is read (and dropped) before the connection is closed. */
    static final int BODY_CAP = 16 * 1024;

    private final Vertx vertx;
    private final HttpClient client;
    private final Duration timeout;
    private final int bodyCap;

    /**
     * @param options the client's options, from {@link #options} (a test adds the trust of its own certificate)
     * @param timeout how long an attempt may take, from the connection to the answer's status; its body must end
     *                within it too, or the connection is closed
     */
    CallbackReceiver(Vertx vertx, HttpClientOptions options, int connections, Duration timeout, int bodyCap) {
        this.vertx = vertx;
        this.client = vertx.createHttpClient(options, new PoolOptions().setHttp1MaxSize(connections));
        this.timeout = timeout;
        this.bodyCap = bodyCap;
    }

    /** Callbacks' client options: SNI sent and the certificate checked for the URL's host, although the connection goes to an address. */
    static HttpClientOptions options(Duration timeout) {
        return new HttpClientOptions()
                .setForceSni(true)
                .setVerifyHost(true)
                .setConnectTimeout((int) Math.min(5_000, timeout.toMillis()));
    }

    /**
     * POSTs {@code body} to the target's checked address; its answer's status, or a failure: no connection, or a
     * {@link TimeoutException} when no status came within the timeout. A status that came is the outcome even
     * when its body was cut.
     */
    Uni<Integer> post(CallbackUrls.Target target, Map<String, String> headers, String body) {
        URI url = target.url();
        boolean tls = "https".equalsIgnoreCase(url.getScheme());
        int port = url.getPort() != -1 ? url.getPort() : tls ? 443 : 80;
        RequestOptions options = new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setServer(SocketAddress.inetSocketAddress(new InetSocketAddress(target.address(), port)))
                .setHost(url.getHost())
                .setPort(port)
                .setSsl(tls)
                .setURI(url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" + query(url) : url.getRawPath() + query(url))
                .setFollowRedirects(false);
        headers.forEach(options::putHeader);
        return Uni.createFrom().emitter(emitter -> new Exchange(emitter).start(options, Buffer.buffer(body)));
    }

    Future<Void> close() {
        return client.close();
    }

    private static String query(URI url) {
        return url.getRawQuery() == null ? "" : "?" + url.getRawQuery();
    }

    /** One attempt: the request, the deadline that bounds it, and the drain of the answer's body. */
    private final class Exchange {
        private final UniEmitter<? super Integer> emitter;
        private final AtomicBoolean settled = new AtomicBoolean();
        private final AtomicBoolean over = new AtomicBoolean();
        private final AtomicReference<HttpClientRequest> request = new AtomicReference<>();
        private volatile Integer status;
        private long deadline;

        Exchange(UniEmitter<? super Integer> emitter) {
            this.emitter = emitter;
        }

        void start(RequestOptions options, Buffer body) {
            // Given up by whoever waited (not by an answer): nothing may stay open for it.
            emitter.onTermination(() -> {
                if (settled.compareAndSet(false, true)) {
                    cut();
                }
            });
            deadline = vertx.setTimer(timeout.toMillis(), fired -> {
                Integer answered = status;
                settle(answered, answered != null ? null : new TimeoutException("no answer within " + timeout));
                cut();
            });
            client.request(options).onComplete(made -> {
                if (made.failed()) {
                    settle(null, made.cause());
                    end();
                    return;
                }
                request.set(made.result());
                if (over.get()) {
                    made.result().reset(); // given up while connecting
                    return;
                }
                made.result().send(body).onComplete(answered -> {
                    if (answered.failed()) {
                        settle(null, answered.cause());
                        cut();
                        return;
                    }
                    status = answered.result().statusCode();
                    drain(answered.result());
                });
            });
        }

        /** Reads the body and drops it; past the cap the connection is closed, and at the deadline if it has not ended. */
        private void drain(HttpClientResponse response) {
            long[] read = {0};
            response.handler(chunk -> {
                read[0] += chunk.length();
                if (read[0] > bodyCap) {
                    cut();
                    settle(status, null);
                }
            });
            response.endHandler(ended -> {
                end();
                settle(status, null);
            });
            response.exceptionHandler(failed -> {
                end();
                settle(status, null);
            });
        }

        private void settle(Integer status, Throwable failure) {
            if (settled.compareAndSet(false, true)) {
                if (failure == null) {
                    emitter.complete(status);
                } else {
                    emitter.fail(failure);
                }
            }
        }

        /** The exchange is over: its deadline goes (the connection, when it was read to its end, serves the next one). */
        private void end() {
            if (over.compareAndSet(false, true)) {
                vertx.cancelTimer(deadline);
            }
        }

        /** Closes the exchange's connection, unless it ended (by itself) before. */
        private void cut() {
            if (over.compareAndSet(false, true)) {
                vertx.cancelTimer(deadline);
                HttpClientRequest made = request.get();
                if (made != null) {
                    made.reset();
                }
            }
        }
    }
}
