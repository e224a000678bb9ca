package vn.zalogateway.support;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/** The requests the benchmarks and fault tests send the packaged gateway, and how they read the answers. */
public final class GatewayCalls {

    /**
     * What the gateway answered: its status, body and Retry-After, or status -1 and no body when the request
     * failed (timeout, reset).
     */
    public record Answer(int status, String body, String retryAfter) {
    }

    private GatewayCalls() {
    }

    /** {@code POST /v1/messages} with the built-in consumer's key ({@link GatewayProcess#API_KEY}). */
    public static RequestOptions newMessage(int timeoutMillis) {
        return new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/messages").setTimeout(timeoutMillis)
                .putHeader("Authorization", "Bearer " + GatewayProcess.API_KEY).putHeader("Content-Type", "application/json");
    }

    /** The seed's transaction message, as the benchmarks and fault tests send it. */
    public static String messageBody() {
        ObjectNode body = Messages.message();
        return body.put("ext", "bench").toString();
    }

    /** The message id in a 202 answer of POST /v1/messages. */
    public static String acceptedId(String answer) {
        int start = answer.indexOf("\"id\":\"") + 6;
        return answer.substring(start, answer.indexOf('"', start));
    }

    /** {@code POST /v1/webhooks/nxcloud/{secret}}. */
    public static RequestOptions nxcloudReceipt(String secret, int timeoutMillis) {
        return new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/webhooks/nxcloud/" + secret)
                .setTimeout(timeoutMillis).putHeader("Content-Type", "application/json");
    }

    /** Sends {@code body} and completes with the answer; a failed request completes too, as status -1. */
    public static Future<Answer> send(HttpClient client, RequestOptions request, Buffer body) {
        return client.request(request)
                .compose(sending -> sending.send(body))
                .compose(response -> response.body().map(answer -> new Answer(response.statusCode(), answer.toString(),
                        response.getHeader("Retry-After"))))
                .recover(failure -> Future.succeededFuture(new Answer(-1, null, null)));
    }

    /** An NXCloud success receipt (the seed's shape, with cost and quota) for message bench-i, the n-th sent. */
    public static String nxcloudSuccess(int i, int n) {
        return "{\"status\":\"success\",\"requestId\":\"bench-" + i + "\",\"code\":0,\"message\":\"Successfully sent.\","
                + "\"sendTime\":\"2026-11-23 10:12:39\",\"ext\":\"bench\",\"cost\":{\"currency\":\"USD\",\"originalPrice\":0.01},"
                + "\"zaloRes\":{\"error\":0,\"message\":\"Success\",\"data\":{\"msg_id\":\"" + i + "\",\"quota\":"
                + "{\"remainingQuota\":\"4999\",\"dailyQuota\":\"5000\"}}},\"timestamp\":" + n + "}";
    }
}
