package vn.zalogateway.support;

import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;

/**
 * A provider stand-in that misbehaves on demand (the fault tests switch {@link #mode} while the
 * gateway runs); when {@link Mode#HEALTHY} it answers what the given function makes of the request body.
 */
public final class HostileUpstream implements AutoCloseable {

    public enum Mode { HANG, RESET, ERROR_500, TOO_MANY_429, HTML, TRUNCATED_JSON, HUGE_BODY, HEALTHY }

    /** Every misbehaviour, in the order the fault tests try them. */
    public static final Mode[] HOSTILE = { Mode.HANG, Mode.RESET, Mode.ERROR_500, Mode.TOO_MANY_429, Mode.HTML,
            Mode.TRUNCATED_JSON, Mode.HUGE_BODY };

    public volatile Mode mode = Mode.HEALTHY;
    private final HttpServer server;

    /**
     * @param truncatedJson the first bytes of a valid answer
     * @param hugeAnswer a 200 of about 10 MB
     * @param healthyAnswer the JSON answer to a request body
     */
    public HostileUpstream(Vertx vertx, String truncatedJson, Buffer hugeAnswer, UnaryOperator<String> healthyAnswer) throws Exception {
        server = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
            var response = request.response();
            switch (mode) {
                case HANG -> { } // never answers
                case RESET -> request.connection().close();
                case ERROR_500 -> response.setStatusCode(500).end("Internal Server Error");
                case TOO_MANY_429 -> response.setStatusCode(429).putHeader("Retry-After", "1").end();
                case HTML -> response.putHeader("Content-Type", "text/html").end("<html><body>Maintenance</body></html>");
                case TRUNCATED_JSON -> response.putHeader("Content-Type", "application/json").end(truncatedJson);
                case HUGE_BODY -> response.putHeader("Content-Type", "application/json").end(hugeAnswer);
                case HEALTHY -> response.putHeader("Content-Type", "application/json").end(healthyAnswer.apply(body.toString()));
            }
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
