package vn.zalogateway.bench;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** The requests the benchmarks and fault tests send the packaged gateway, and how they read the answers. */
final class GatewayCalls {

    /**
     * What the gateway answered: its status, body and Retry-After, or status -1 and no body when the request
     * failed (timeout, reset).
     */
    record Answer(int status, String body, String retryAfter) {
    }

    private GatewayCalls() {
    }

    /** {@code POST /v1/messages} with the benchmark consumer's key. */
    static RequestOptions newMessage(int timeoutMillis) {
        return new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/messages").setTimeout(timeoutMillis)
                .putHeader("Authorization", "Bearer " + MessageAcceptBenchmark.KEY).putHeader("Content-Type", "application/json");
    }

    /** {@code POST /v1/webhooks/nxcloud/{secret}}. */
    static RequestOptions nxcloudReceipt(String secret, int timeoutMillis) {
        return new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/webhooks/nxcloud/" + secret)
                .setTimeout(timeoutMillis).putHeader("Content-Type", "application/json");
    }

    /** Sends {@code body} and completes with the answer; a failed request completes too, as status -1. */
    static Future<Answer> send(HttpClient client, RequestOptions request, Buffer body) {
        return client.request(request)
                .compose(sending -> sending.send(body))
                .compose(response -> response.body().map(answer -> new Answer(response.statusCode(), answer.toString(),
                        response.getHeader("Retry-After"))))
                .recover(failure -> Future.succeededFuture(new Answer(-1, null, null)));
    }
}
