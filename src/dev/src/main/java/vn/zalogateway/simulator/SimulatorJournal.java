package vn.zalogateway.simulator;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The simulator's own record of what it did to each message, so that a soak can hold the gateway's account against
 * the provider's: every sending call it answered (under which id: eSMS's {@code RequestId}, eTelecom's
 * {@code tracking_id}; with what code and reference; whether the answer was lost on the way, see
 * {@link SimulatorFaults}), a fingerprint of what was sent (the same message sent under two ids has one fingerprint),
 * and every receipt it sent back for it, taken ({@code 2xx}) or given up. Read with {@code GET /journal} (counts),
 * {@code GET /journal/messages} (per id) and {@code GET /journal/receipts} (the MD5 of each receipt taken, as the
 * gateway should have stored it: a JSON body, or an eSMS callback's query; then what it was).
 */
public final class SimulatorJournal {

    public static final String PATH = "/journal";

    /** One answered sending call. */
    record Send(int status, String code, String ref, boolean lost, long at) {
    }

    /** Everything known of one id. */
    static final class Entry {
        final String channel;
        final String fingerprint;
        final List<Send> sends = new ArrayList<>();
        final List<String> receipts = new ArrayList<>();
        final List<String> abandoned = new ArrayList<>();

        Entry(String channel, String fingerprint) {
            this.channel = channel;
            this.fingerprint = fingerprint;
        }
    }

    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    /** eSMS's SMSID or Zalo's msg_id (as eTelecom answers it) to our id. */
    private final Map<String, String> idByRef = new ConcurrentHashMap<>();
    private final Queue<String> takenDigests = new ConcurrentLinkedQueue<>();
    private final AtomicLong pending = new AtomicLong();
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong abandoned = new AtomicLong();

    /** A sending call's answer, whether or not it reaches the sender ({@code lost}). Other calls are ignored. */
    void answered(RoutingContext context, int status, String answer, boolean lost) {
        String path = context.request().path();
        String channel = path.endsWith("/SendZaloFollowerMessage_V5_post_json/") ? "zalo"
                : path.endsWith(".Zalo/SendZNSJourney") ? "zns"
                : path.endsWith("/SendMultipleMessage_V4_post_json/") ? "sms" : null;
        if (channel == null) {
            return;
        }
        JsonObject call = object(context.body().asString());
        if (call == null) {
            return;
        }
        String id = text(call.getValue("zns".equals(channel) ? "tracking_id" : "RequestId"));
        if (id == null) {
            return;
        }
        String content = switch (channel) {
            case "zalo" -> text(call.getValue("OAID")) + "|" + call.getValue("Payload");
            case "zns" -> text(call.getValue("oa_id")) + "|" + text(call.getValue("phone")) + "|" + call.getValue("template_id") + "|"
                    + call.getValue("template_data");
            default -> text(call.getValue("Phone")) + "|" + text(call.getValue("Content"));
        };
        JsonObject body = object(answer);
        String code = body == null ? null : text(body.getValue("zns".equals(channel) ? "error_code" : "CodeResult"));
        String ref = body == null ? null : text(body.getValue("zns".equals(channel) ? "msg_id" : "SMSID"));
        if (ref != null && !ref.isEmpty()) {
            idByRef.put(ref, id);
        }
        Entry entry = byId.computeIfAbsent(id, ignored -> new Entry(channel, digest("SHA-256", channel + "|" + content)));
        synchronized (entry) {
            entry.sends.add(new Send(status, code, ref, lost, System.currentTimeMillis()));
        }
    }

    /** Receipts about to be scheduled: the soak waits until none is left unresolved. */
    void expect(int receipts) {
        pending.addAndGet(receipts);
    }

    /**
     * A receipt's end: taken by the webhook, or given up. Which message it is about comes from its description
     * ({@code "delivered of SMSID <ref>"}, {@code "eSMS SMS callback (finished) of SMSID <ref>"}); what it said, from its
     * body or query.
     */
    void resolved(String description, String url, String body, boolean wasTaken) {
        pending.decrementAndGet();
        String query = url.contains("?") ? url.substring(url.indexOf('?') + 1) : null;
        (wasTaken ? taken : abandoned).incrementAndGet();
        if (wasTaken) {
            takenDigests.add(digest("MD5", body != null ? body : query == null ? "" : query) + " " + description);
        }
        int of = description.indexOf(" of SMSID ");
        String id = of < 0 ? null : idByRef.get(description.substring(of + " of SMSID ".length()).trim());
        Entry entry = id == null ? null : byId.get(id);
        if (entry == null) {
            return;
        }
        String kind;
        if (query != null) {
            Map<String, String> parameters = parameters(query);
            boolean failed = "4".equals(parameters.get("SendStatus")) || !"0".equals(parameters.getOrDefault("SendFailed", "0"));
            boolean finished = "5".equals(parameters.get("SendStatus"));
            kind = "esms:" + (failed ? "failed" : finished ? "delivered" : "sent");
        } else {
            kind = "nxcloud:" + description.substring(0, description.indexOf(' '));
        }
        synchronized (entry) {
            (wasTaken ? entry.receipts : entry.abandoned).add(kind);
        }
    }

    void routes(Router router) {
        router.get(PATH).handler(context -> json(context, counts()));
        router.get(PATH + "/messages").handler(context -> {
            JsonObject all = new JsonObject();
            byId.forEach((id, entry) -> {
                synchronized (entry) {
                    JsonArray sends = new JsonArray();
                    entry.sends.forEach(send -> sends.add(new JsonObject().put("status", send.status()).put("code", send.code())
                            .put("ref", send.ref()).put("lost", send.lost()).put("at", send.at())));
                    all.put(id, new JsonObject().put("channel", entry.channel).put("fingerprint", entry.fingerprint)
                            .put("sends", sends).put("receipts", new JsonArray(new ArrayList<>(entry.receipts)))
                            .put("abandoned", new JsonArray(new ArrayList<>(entry.abandoned))));
                }
            });
            json(context, all);
        });
        router.get(PATH + "/receipts").handler(context -> json(context, new JsonObject()
                .put("taken_md5", new JsonArray(new ArrayList<>(takenDigests)))));
    }

    public JsonObject counts() {
        return new JsonObject().put("ids", byId.size()).put("receipts_pending", pending.get())
                .put("receipts_taken", taken.get()).put("receipts_abandoned", abandoned.get());
    }

    private static void json(RoutingContext context, JsonObject body) {
        context.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(body.encode());
    }

    private static Map<String, String> parameters(String query) {
        Map<String, String> parameters = new HashMap<>();
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0) {
                parameters.putIfAbsent(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
            }
        }
        return parameters;
    }

    static String digest(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private static JsonObject object(String text) {
        try {
            Object value = text == null ? null : Json.decodeValue(text);
            return value instanceof JsonObject object ? object : null;
        } catch (DecodeException notJson) {
            return null;
        }
    }

    private static String text(Object value) {
        return value instanceof String || value instanceof Number ? String.valueOf(value) : null;
    }

    SimulatorJournal() {
    }
}
