package vn.zalogateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.Messages;
import vn.zalogateway.support.TestDatabase;

/**
 * Fault: kill -9 between the decision to send an SMS fallback and eSMS's answer. Zalo refuses every message, so each
 * one's SMS is decided; eSMS holds the SMS calls without answering, and the gateway is killed while they are out,
 * then started again on the same database. Afterwards every message's SMS is submitted, each under the one RequestId
 * (the message id and -sms, which eSMS drops within 24 h): an SMS went to eSMS twice only if it was out at the kill,
 * and then with the same RequestId, so the customer got one SMS; the consumer was told once per message.
 */
@Tag("faults")
class SmsFallbackCrashFaultIT {

    static final int MESSAGES = 40;

    /** How often eSMS saw each SMS RequestId; what it answered 100 to first. */
    final Map<String, AtomicInteger> smsRequests = new ConcurrentHashMap<>();
    final Set<String> smsTaken = ConcurrentHashMap.newKeySet();
    /** While set, eSMS takes SMS calls and never answers (the answers the kill loses). */
    final AtomicBoolean holding = new AtomicBoolean(true);

    @Test
    void anSmsOutAtTheKillGoesAgainOnlyUnderItsRequestId() throws Exception {
        TestDatabase.recreateMigrated(GatewayDatabase.DB);
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer esms = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body -> {
                String path = request.path();
                if (path.contains("SendZaloFollowerMessage")) {
                    // Zalo refuses: the message's SMS is decided at once.
                    request.response().putHeader("Content-Type", "application/json")
                            .end("{\"CodeResult\":\"99\",\"ErrorMessage\":\"blocked\"}");
                    return;
                }
                String requestId = new JsonObject(body.toString()).getString("RequestId");
                smsRequests.computeIfAbsent(requestId, ignored -> new AtomicInteger()).incrementAndGet();
                if (holding.get()) {
                    return; // the call stays out until the gateway dies
                }
                // eSMS's rule: a RequestId it has taken is dropped (124) within 24 h.
                boolean first = smsTaken.add(requestId);
                request.response().putHeader("Content-Type", "application/json").end(first
                        ? "{\"CodeResult\":\"100\",\"SMSID\":\"sms-" + requestId + "\"}"
                        : "{\"CodeResult\":\"124\",\"SMSID\":\"sms-" + requestId + "\",\"ErrorMessage\":\"Duplicate RequestId\"}");
            })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            Map<String, String> environment = new HashMap<>(GatewayProcess.environment(
                    "http://127.0.0.1:" + esms.actualPort() + "/MainService.svc/json"));
            environment.put("GATEWAY_DISPATCH_LEASE", "PT3S"); // what the killed instance claimed goes again soon
            environment.put("GATEWAY_SMS_BRANDNAME", "SHOP-A");
            environment.put("GATEWAY_CALLBACKS_ALLOW_HTTP", "true");
            environment.put("GATEWAY_CALLBACKS_ALLOW_PRIVATE_NETWORKS", "true");

            List<String> ids = new ArrayList<>();
            GatewayProcess first = new GatewayProcess(environment, GatewayProcess.logFile("fault-sms-crash-first.log").toPath());
            // The consumer is told (its events are stored; nobody listens at this address, which is not what is tested).
            GatewayDatabase.sql("update consumers set callback_url = 'http://127.0.0.1:9/events' where name = 'default'");
            HttpClient http = HttpClient.newHttpClient();
            for (int i = 0; i < MESSAGES; i++) {
                ObjectNode body = Messages.message();
                body.putObject("fallback").putObject("sms").put("phone", "0912345678").put("text", "Don hang " + i + " dang giao");
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(first.baseUrl() + "/v1/messages"))
                        .header("Authorization", "Bearer " + GatewayProcess.API_KEY).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
                ids.add(GatewayCalls.acceptedId(answer.body()));
            }
            await().alias("SMS calls out at eSMS").atMost(Duration.ofSeconds(30)).until(() -> smsRequests.size() >= MESSAGES / 2);
            first.kill();
            Set<String> outAtKill = new HashSet<>(smsRequests.keySet());
            holding.set(false);

            try (GatewayProcess second = new GatewayProcess(environment, GatewayProcess.logFile("fault-sms-crash-second.log").toPath())) {
                await().alias("every SMS submitted after the restart").atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO)
                        .until(() -> GatewayDatabase.count("select count(*) from messages where sms_status = 'SUBMITTED'") == MESSAGES);
                Set<String> expected = new HashSet<>();
                ids.forEach(id -> expected.add(id + "-sms"));
                assertThat(smsRequests.keySet()).as("each SMS under its one RequestId: the message id and -sms").isEqualTo(expected);
                Set<String> sentTwice = new HashSet<>();
                smsRequests.forEach((requestId, count) -> {
                    if (count.get() > 1) {
                        sentTwice.add(requestId);
                    }
                });
                assertThat(sentTwice).as("asked twice only if out at the kill").isSubsetOf(outAtKill);
                assertThat(smsTaken).as("eSMS took each SMS once").hasSize(MESSAGES);
                assertThat(GatewayDatabase.count("select count(*) from callback_events where event_type = 'message.fallback_sent'"))
                        .as("the consumer is told once per message").isEqualTo(MESSAGES);
                assertThat(GatewayDatabase.count("select count(*) from messages where sms_provider_message_id = 'sms-' || id || '-sms'"))
                        .as("each message keeps its SMS's SMSID").isEqualTo(MESSAGES);
                System.out.printf("%nkill -9 with SMS fallbacks out: %d messages, %d SMS calls out at the kill, %d asked again "
                        + "(same RequestId, dropped by eSMS as 124); each SMS taken once%n", MESSAGES, outAtKill.size(), sentTwice.size());
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }
}
