package vn.zalogateway.soak;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import vn.zalogateway.support.GatewayCalls;
import vn.zalogateway.support.Messages;

/**
 * The consumers' side of the soak: message {@code i} of the run is drawn from the seed and its number alone (so the same
 * seed sends the same messages, whatever the timing), sent to the balancer with its consumer's key, and its answer kept.
 * Transaction and ZNS journey messages, some with an SMS fallback, some scheduled ({@code send_at} a few seconds ahead,
 * or a send window), some of those cancelled a moment after the 202, some with an {@code Idempotency-Key} that the client
 * sends again (same key, same bytes) after a timeout, a cut connection, a 409, 429 or 5xx. Every message carries its own
 * reference ({@code ext}, and inside what the provider gets), so that two sends of one message look alike to the simulator.
 */
final class SoakLoad {

    /** A consumer as the admin API made it. */
    record Consumer(String name, String apiKey) {
    }

    private static final int MOST_TRIES = 40;
    /** Messages a batch carries (the soak's batches are small, so that several go within a short run). */
    static final int BATCH_ITEMS = 20;
    private static final String FALLBACK_BRANDNAME = "SOAK";

    final Map<String, Long> accepted = new ConcurrentHashMap<>();
    /** System.nanoTime of every first 202 of a message. */
    final ConcurrentLinkedQueue<Long> acceptedAt = new ConcurrentLinkedQueue<>();
    final Map<String, Set<String>> idsByKey = new ConcurrentHashMap<>();
    /** Answers other than 202 to a keyed retry that mean the key was not honoured (422: "another body"). */
    final AtomicLong keyRefused = new AtomicLong();
    final Map<Integer, AtomicLong> answers = new ConcurrentHashMap<>();
    final Map<Integer, AtomicLong> answersDuringFaults = new ConcurrentHashMap<>();
    /** Messages whose cancel answered 200: they must end CANCELLED and never reach a provider. */
    final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    final AtomicLong cancelsRefused = new AtomicLong();
    final AtomicInteger inFlight = new AtomicInteger();
    final AtomicLong sent = new AtomicLong();
    /** Each consumer's batch being filled. */
    private final Map<String, List<Item>> batches = new java.util.HashMap<>();

    private final Vertx vertx;
    private final HttpClient client;
    private final SoakSettings settings;
    private final List<Consumer> consumers;
    private final BooleanSupplier duringFaults;

    SoakLoad(Vertx vertx, HttpClient client, SoakSettings settings, List<Consumer> consumers, BooleanSupplier duringFaults) {
        this.vertx = vertx;
        this.client = client;
        this.settings = settings;
        this.consumers = consumers;
        this.duringFaults = duringFaults;
    }

    /** Message {@code i} of the run: drawn, sent, its answer kept (called by the pacer when it is due). */
    void send(int i) {
        SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + i);
        Consumer consumer = consumers.get(i % consumers.size());
        String ref = "soak-" + Long.toString(Math.abs(settings.seed()), 36) + "-" + i;
        boolean journey = random.nextDouble() < settings.journeyShare();
        String phone = "09" + String.format("%08d", random.nextInt(100_000_000));
        ObjectNode body;
        if (journey) {
            body = Messages.journeyMessage().put("phone", phone);
            ((ObjectNode) body.get("template_data")).put("order_code", ref);
        } else {
            body = Messages.message().put("user_id", Long.toString(5_830_000_000_000L + random.nextInt(1_000_000)));
            ((ObjectNode) body.at("/elements/3/content/0")).put("value", ref);
        }
        body.put("ext", ref);
        if (random.nextDouble() < settings.fallbackShare()) {
            body.putObject("fallback").putObject("sms").put("phone", phone).put("text", "Don hang " + ref + " dang giao")
                    .put("brandname", FALLBACK_BRANDNAME);
        }
        boolean cancel = false;
        if (random.nextDouble() < settings.scheduledShare()) {
            if (random.nextDouble() < 0.7) {
                body.put("send_at", Messages.inVietnam(Duration.ofSeconds(5 + random.nextInt(25))));
                cancel = random.nextDouble() < settings.cancelShare();
            } else {
                // A window open now (Asia/Ho_Chi_Minh), across midnight when it must: the window's path, no wait.
                LocalTime now = LocalTime.now(ZoneId.of("Asia/Ho_Chi_Minh"));
                DateTimeFormatter hhmm = DateTimeFormatter.ofPattern("HH:mm");
                body.putObject("send_window").put("from", now.minusHours(2).format(hhmm)).put("to", now.plusHours(2).format(hhmm));
            }
        }
        String key = random.nextDouble() < settings.keyedShare() ? ref + "-key" : null;
        int cancelAfter = random.nextInt(2_000);
        sent.incrementAndGet();
        if (settings.batchShare() > 0 && random.nextDouble() < settings.batchShare()) {
            batch(consumer, new Item(body, cancel, cancelAfter), ref);
            return;
        }
        post(consumer, Buffer.buffer(body.toString()), key, cancel, cancelAfter, 1);
    }

    /** A message waiting in its consumer's batch. */
    private record Item(ObjectNode body, boolean cancel, int cancelAfter) {
    }

    /** Adds the message to its consumer's batch; a full batch goes, under a key of its own. */
    private void batch(Consumer consumer, Item item, String ref) {
        List<Item> full = null;
        synchronized (batches) {
            List<Item> filling = batches.computeIfAbsent(consumer.name(), ignored -> new java.util.ArrayList<>());
            filling.add(item);
            if (filling.size() == BATCH_ITEMS) {
                full = List.copyOf(filling);
                filling.clear();
            }
        }
        if (full != null) {
            com.fasterxml.jackson.databind.node.ArrayNode messages = Messages.JSON.createArrayNode();
            full.forEach(each -> messages.add(each.body()));
            ObjectNode body = Messages.JSON.createObjectNode().put("ext", ref + "-batch");
            body.set("messages", messages);
            postBatch(consumer, Buffer.buffer(body.toString()), full, ref + "-batch-key", 1);
        }
    }

    /**
     * A batch under its key, sent again (same key, same bytes) until it is answered: each item's id is a 202 of its own,
     * kept under the batch's key and the item's index (one id each, however often the batch is sent).
     */
    private void postBatch(Consumer consumer, Buffer body, List<Item> items, String key, int attempt) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/batches").setTimeout(10_000)
                .putHeader("Authorization", "Bearer " + consumer.apiKey()).putHeader("Content-Type", "application/json")
                .putHeader("Idempotency-Key", key);
        inFlight.incrementAndGet();
        GatewayCalls.send(client, request, body).onComplete(done -> {
            GatewayCalls.Answer answer = done.result();
            count(answer.status());
            if (answer.status() == 202) {
                io.vertx.core.json.JsonArray answered = new io.vertx.core.json.JsonObject(answer.body()).getJsonArray("items");
                for (int n = 0; n < answered.size(); n++) {
                    io.vertx.core.json.JsonObject each = answered.getJsonObject(n);
                    String id = each.getString("id");
                    if (id == null) {
                        continue; // refused with its violations: nothing of it stored
                    }
                    int index = each.getInteger("index");
                    Item item = items.get(index);
                    keep(consumer, id, key + "#" + index, item.cancel(), item.cancelAfter());
                }
            } else if (answer.status() == 422) {
                keyRefused.incrementAndGet();
            } else if (retryable(answer.status()) && attempt < MOST_TRIES) {
                vertx.setTimer(500L * Math.min(attempt, 4), timer -> postBatch(consumer, body, items, key, attempt + 1));
            }
            inFlight.decrementAndGet();
        });
    }

    private void post(Consumer consumer, Buffer body, String key, boolean cancel, int cancelAfter, int attempt) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/messages")
                .setTimeout(key != null ? settings.clientTimeout().toMillis() : 10_000)
                .putHeader("Authorization", "Bearer " + consumer.apiKey()).putHeader("Content-Type", "application/json");
        if (key != null) {
            request.putHeader("Idempotency-Key", key);
        }
        inFlight.incrementAndGet();
        GatewayCalls.send(client, request, body).onComplete(done -> {
            GatewayCalls.Answer answer = done.result();
            count(answer.status());
            if (answer.status() == 202) {
                keep(consumer, GatewayCalls.acceptedId(answer.body()), key, cancel, cancelAfter);
            } else if (key != null && answer.status() == 422) {
                keyRefused.incrementAndGet();
            } else if (key != null && retryable(answer.status()) && attempt < MOST_TRIES) {
                // The same key and the same bytes, a moment later: the first answer is replayed, or the message is made once.
                vertx.setTimer(500L * Math.min(attempt, 4), timer -> post(consumer, body, key, cancel, cancelAfter, attempt + 1));
            }
            inFlight.decrementAndGet();
        });
    }

    /**
     * A 202's message id: kept (the first time dated), under the key it was sent with (none: not keyed), and cancelled
     * a moment later when it was drawn to be.
     */
    private void keep(Consumer consumer, String id, String key, boolean cancel, int cancelAfter) {
        boolean first = accepted.putIfAbsent(id, System.currentTimeMillis()) == null;
        if (first) {
            acceptedAt.add(System.nanoTime());
        }
        if (key != null) {
            idsByKey.computeIfAbsent(consumer.name() + "/" + key, ignored -> ConcurrentHashMap.newKeySet()).add(id);
        }
        if (cancel && first) {
            vertx.setTimer(1_000 + cancelAfter, timer -> cancel(consumer, id, 1));
        }
    }

    private void cancel(Consumer consumer, String id, int attempt) {
        RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setURI("/v1/messages/" + id + "/cancel")
                .setTimeout(10_000).putHeader("Authorization", "Bearer " + consumer.apiKey());
        inFlight.incrementAndGet();
        GatewayCalls.send(client, request, Buffer.buffer()).onComplete(done -> {
            int status = done.result().status();
            if (status == 200) {
                cancelled.add(id);
            } else if (status == 409) {
                cancelsRefused.incrementAndGet();
            } else if (attempt < MOST_TRIES) {
                vertx.setTimer(1_000, timer -> cancel(consumer, id, attempt + 1)); // a cancel again is the same cancel
            }
            inFlight.decrementAndGet();
        });
    }

    private static boolean retryable(int status) {
        return status == -1 || status == 409 || status == 429 || status >= 500;
    }

    private void count(int status) {
        answers.computeIfAbsent(status, ignored -> new AtomicLong()).incrementAndGet();
        if (duringFaults.getAsBoolean()) {
            answersDuringFaults.computeIfAbsent(status, ignored -> new AtomicLong()).incrementAndGet();
        }
    }
}
