package vn.zalogateway.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.core.http.PoolOptions;
import vn.zalogateway.support.EsmsLatencyStub;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.TestDatabase;
import vn.zalogateway.support.TestKeys;

/**
 * Fault: kill -9 under load. The packaged gateway takes messages and receipts as fast as 16 clients
 * send them; mid-stream it is killed with SIGKILL and started again on the same database. Afterwards:
 * every message that got a 202 exists, reached eSMS at least once and is SUBMITTED; a message reached
 * eSMS twice only if it was in flight at the kill (always with its own RequestId, which eSMS drops);
 * every receipt that got a 200 is stored; and every status change of every message reached the consumer's
 * callback receiver (at least once), none lost to the kill.
 */
@Tag("faults")
class CrashFaultIT {

    static final int CLIENTS = 16;

    final Set<String> accepted = ConcurrentHashMap.newKeySet();
    final java.util.List<String> acceptedInOrder = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    final Set<String> receiptsAcknowledged = ConcurrentHashMap.newKeySet();
    final AtomicInteger refused = new AtomicInteger();
    /** Requests sent and not answered yet. */
    final AtomicInteger inFlight = new AtomicInteger();

    @Test
    void nothingAcknowledgedIsLostAndRepeatsAreOnlyTheInFlight() throws Exception {
        TestDatabase.recreateMigrated(GatewayDatabase.DB); // as the migration Job leaves it
        Vertx vertx = Vertx.vertx();
        try (EsmsLatencyStub esms = new EsmsLatencyStub(vertx, 20)) {
            Map<String, String> environment = new HashMap<>(GatewayProcess.environment(esms));
            environment.put("GATEWAY_WEBHOOKS_NXCLOUD_SECRET", "fault-secret");
            environment.put("GATEWAY_DISPATCH_LEASE", "PT3S"); // what a killed instance claimed goes again soon
            // Status callbacks to a receiver here; a killed sender's claims go again after 2 x 2 s + 5 s.
            environment.put("GATEWAY_CALLBACKS_ALLOW_HTTP", "true");
            environment.put("GATEWAY_CALLBACKS_ALLOW_PRIVATE_NETWORKS", "true");
            environment.put("GATEWAY_CALLBACKS_TIMEOUT", "PT2S");
            environment.put("GATEWAY_ADMIN_KEY_HASHES", TestKeys.ADMIN_HASHES);
            String body = GatewayCalls.messageBody();
            Set<String> callbacks = ConcurrentHashMap.newKeySet();
            HttpServer receiver = vertx.createHttpServer().requestHandler(request -> request.body().onSuccess(payload -> {
                JsonObject data = new JsonObject(payload.toString()).getJsonObject("data");
                callbacks.add(data.getString("id") + " " + data.getString("status"));
                request.response().end();
            })).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

            GatewayProcess first = new GatewayProcess(environment, GatewayProcess.logFile("fault-crash-first.log").toPath());
            GatewayDatabase.sql("update consumers set callback_url = 'http://127.0.0.1:" + receiver.actualPort()
                    + "/events' where name = 'default'");
            // The built-in consumer has no signing secret until an administrator issues one.
            java.net.http.HttpResponse<String> secret = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + first.port
                            + "/v1/admin/consumers/00000000-0000-7000-8000-000000000001/callback-secret"))
                            .header("Authorization", "Bearer " + TestKeys.ADMIN_KEY)
                            .POST(java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(secret.statusCode()).as(secret.body()).isEqualTo(201);
            AtomicBoolean running = new AtomicBoolean(true);
            int port = first.port;
            HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port),
                    new PoolOptions().setHttp1MaxSize(CLIENTS));
            for (int c = 0; c < CLIENTS; c++) {
                loop(client, body, running, c);
            }
            // Killed mid-stream once the load is well under way: after 6 s of it, and not before 300 messages were
            // accepted (a slow moment of this machine once let only 75 through in 6 s).
            await().alias("300 messages accepted within 60 s").pollDelay(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(50)).until(() -> accepted.size() >= 300);
            first.kill();
            int acceptedAtKill = accepted.size();
            // Claimed by the dead process (leased) and not recorded as submitted: the only ones that may go twice.
            Set<String> inFlightAtKill = GatewayDatabase.strings(
                    "select id::text from messages where status in ('ACCEPTED', 'SCHEDULED') and lease_until is not null");
            running.set(false);
            // Every client's last request answered (or cut by the kill): what was acknowledged is known.
            await().atMost(Duration.ofSeconds(15)).until(() -> inFlight.get() == 0);

            try (GatewayProcess second = new GatewayProcess(environment, GatewayProcess.logFile("fault-crash-second.log").toPath())) {
                awaitAllSubmitted();
                Map<String, AtomicInteger> seen = esms.requestsById;
                // Submitted, or further already (a receipt may have moved it to SENT).
                Set<String> stored = GatewayDatabase.strings(
                        "select id::text from messages where status in ('SUBMITTED', 'SENT', 'DELIVERED')");
                assertThat(acceptedAtKill).as("load before the kill").isGreaterThan(100);
                assertThat(stored).as("every 202 is stored and submitted").containsAll(accepted);
                assertThat(seen.keySet()).as("every 202 reached eSMS").containsAll(accepted);
                Set<String> sentTwice = new HashSet<>();
                seen.forEach((id, count) -> {
                    if (count.get() > 1) {
                        sentTwice.add(id);
                    }
                });
                assertThat(sentTwice).as("sent twice only if in flight at the kill").isSubsetOf(inFlightAtKill);
                awaitCallbacksDelivered();
                Set<String> changes = GatewayDatabase.strings("select subject_id::text || ' ' || (data->>'status') "
                        + "from callback_events");
                Set<String> submitted = new HashSet<>();
                accepted.forEach(id -> submitted.add(id + " SUBMITTED"));
                assertThat(changes).as("every 202'd message's SUBMITTED became an event").containsAll(submitted);
                assertThat(callbacks).as("every event reached the receiver, across the kill").containsAll(changes);
                long repeats = sentTwice.size();
                long repeated = sentTwice.stream().mapToInt(id -> seen.get(id).get()).sum();
                Set<String> storedReceipts = GatewayDatabase.strings("select natural_key from receipts");
                assertThat(storedReceipts).as("every receipt answered 200 is stored").containsAll(receiptsAcknowledged);
                System.out.printf("%nkill -9 under load: %d messages accepted (%d before the kill), %d receipts acknowledged, "
                        + "%d refused or cut during the kill; after restart all stored and submitted; %d sent twice "
                        + "(%d requests, same RequestId), in flight at the kill: %d%n", accepted.size(), acceptedAtKill,
                        receiptsAcknowledged.size(), refused.get(), repeats, repeated, inFlightAtKill.size());
            }
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    private void loop(HttpClient client, String body, AtomicBoolean running, int clientNo) {
        if (!running.get()) {
            return;
        }
        inFlight.incrementAndGet();
        Future<Void> next = clientNo % 4 == 0 ? receipt(client) : message(client, body);
        next.onComplete(done -> {
            inFlight.decrementAndGet();
            loop(client, body, running, clientNo);
        });
    }

    private Future<Void> message(HttpClient client, String body) {
        return GatewayCalls.send(client, GatewayCalls.newMessage(5_000), Buffer.buffer(body)).map(answer -> {
            if (answer.status() == 202) {
                String id = GatewayCalls.acceptedId(answer.body());
                accepted.add(id);
                acceptedInOrder.add(id);
            } else {
                refused.incrementAndGet();
            }
            return null;
        });
    }

    /** A success receipt for a message accepted earlier (its SMSID is the stand-in's "sms-" + id). */
    private Future<Void> receipt(HttpClient client) {
        int known = acceptedInOrder.size();
        String target = known == 0 ? "none" : acceptedInOrder.get(java.util.concurrent.ThreadLocalRandom.current().nextInt(known));
        String stamp = Long.toString(System.nanoTime());
        String body = "{\"status\":\"success\",\"requestId\":\"sms-" + target + "\",\"code\":0,\"timestamp\":" + stamp + "}";
        return GatewayCalls.send(client, GatewayCalls.nxcloudReceipt("fault-secret", 5_000), Buffer.buffer(body)).map(answer -> {
            if (answer.status() == 200) {
                receiptsAcknowledged.add("success|sms-" + target + "|null|0|null|" + stamp);
            } else {
                refused.incrementAndGet();
            }
            return null;
        });
    }

    private static void awaitCallbacksDelivered() {
        await().alias("every callback delivered within 90 s").atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO)
                .until(() -> GatewayDatabase.count("select count(*) from callback_events where status <> 'DELIVERED'") == 0);
    }

    private static void awaitAllSubmitted() {
        await().alias("every message submitted within 90 s of the restart").atMost(Duration.ofSeconds(90)).pollDelay(Duration.ZERO)
                .until(() -> GatewayDatabase.count("select count(*) from messages where status in ('ACCEPTED', 'SCHEDULED')") == 0);
    }
}
