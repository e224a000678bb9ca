package vn.zalogateway.soak;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.TestDatabase;

/**
 * The soak's verdict: the gateway's account (its database), the simulator's own (its journal: what it took under which
 * id, what it answered, which receipts the gateway took) and the clients' (every 202, every key, every cancel) held
 * against each other. Each check counts what is wrong; all must be 0. Examples of each are kept for the report.
 */
final class SoakChecks {

    static final Set<String> FINAL = Set.of("DELIVERED", "FAILED", "UNCONFIRMED", "CANCELLED");

    /** A message as the database has it. */
    record Row(String id, String status, String ext, boolean fallback, int sequence) {
    }

    final Map<String, Long> counts = new LinkedHashMap<>();
    final Map<String, List<String>> examples = new LinkedHashMap<>();
    int finalOfAccepted;

    SoakChecks(SoakLoad load, JsonObject journal, Set<String> receiptDigests, Set<String> callbacksReceived) throws Exception {
        for (String check : List.of("lost", "stuck", "resent_new_id", "wrong_state", "callbacks_missing", "callbacks_unsigned",
                "receipts_lost", "idempotency_broken")) {
            counts.put(check, 0L);
        }
        Map<String, Row> rows = new HashMap<>();
        Map<String, Integer> journeySequences = new HashMap<>();
        try (Connection connection = TestDatabase.connect(GatewayDatabase.DB); Statement statement = connection.createStatement()) {
            try (ResultSet result = statement.executeQuery(
                    "select id::text, status, ext, fallback_text is not null, event_sequence from messages")) {
                while (result.next()) {
                    rows.put(result.getString(1), new Row(result.getString(1), result.getString(2), result.getString(3),
                            result.getBoolean(4), result.getInt(5)));
                }
            }
            try (ResultSet result = statement.executeQuery("select id::text, event_sequence from journeys")) {
                while (result.next()) {
                    journeySequences.put(result.getString(1), result.getInt(2));
                }
            }
        }
        // lost: a 202 whose message is not in the database.
        for (String id : load.accepted.keySet()) {
            Row row = rows.get(id);
            if (row == null) {
                wrong("lost", id);
            } else if (FINAL.contains(row.status())) {
                finalOfAccepted++;
            }
        }
        // stuck: not final at the end.
        rows.values().stream().filter(row -> !FINAL.contains(row.status())).forEach(row -> wrong("stuck", row.id() + " " + row.status()));
        // idempotency_broken: two ids answered for one key, a key refused on a retry of the same bytes, two messages of one reference.
        load.idsByKey.forEach((key, ids) -> {
            if (ids.size() > 1) {
                wrong("idempotency_broken", key + " -> " + ids);
            }
        });
        for (long i = 0; i < load.keyRefused.get(); i++) {
            wrong("idempotency_broken", "a retry under its key answered 422");
        }
        Map<String, List<String>> byExt = new HashMap<>();
        rows.values().forEach(row -> byExt.computeIfAbsent(row.ext(), ignored -> new ArrayList<>()).add(row.id()));
        byExt.forEach((ext, ids) -> {
            if (ids.size() > 1 && ext != null) { // every message of the soak has an ext of its own
                wrong("idempotency_broken", ext + " stored " + ids.size() + " times: " + ids);
            }
        });
        // resent_new_id: one content taken under two ids, or a ZNS message / SMS taken twice under one.
        Map<String, Set<String>> idsByFingerprint = new HashMap<>();
        for (String id : journal.fieldNames()) {
            JsonObject entry = journal.getJsonObject(id);
            long takenSends = taken(entry);
            if (takenSends > 0) {
                idsByFingerprint.computeIfAbsent(entry.getString("fingerprint"), ignored -> new HashSet<>()).add(id);
            }
            if (takenSends > 1 && !"zalo".equals(entry.getString("channel"))) {
                wrong("resent_new_id", id + " (" + entry.getString("channel") + ") taken " + takenSends + " times");
            }
        }
        idsByFingerprint.values().stream().filter(ids -> ids.size() > 1)
                .forEach(ids -> wrong("resent_new_id", "one message under " + ids));
        // wrong_state: the final state against what the simulator did.
        for (Row row : rows.values()) {
            String why = wrongState(row, journal.getJsonObject(row.id()), journal.getJsonObject(row.id() + "-sms"),
                    load.cancelled.contains(row.id()));
            if (why != null) {
                wrong("wrong_state", row.id() + " " + row.status() + ": " + why);
            }
        }
        // callbacks: every sequence of every message and journey reached the receiver, signed.
        Map<String, Integer> sequences = new HashMap<>(journeySequences);
        rows.values().forEach(row -> sequences.put(row.id(), row.sequence()));
        sequences.forEach((subject, last) -> {
            for (int sequence = 1; sequence <= last; sequence++) {
                if (!callbacksReceived.contains(subject + " " + sequence)) {
                    wrong("callbacks_missing", subject + " #" + sequence);
                }
            }
        });
        // receipts_lost: a receipt the simulator got a 2xx for, not stored.
        Set<String> stored = GatewayDatabase.strings("select md5(raw_body) from receipts");
        receiptDigests.stream().filter(taken -> !stored.contains(taken.substring(0, taken.indexOf(' '))))
                .forEach(taken -> wrong("receipts_lost", taken));
    }

    void unsigned(long count) {
        counts.put("callbacks_unsigned", count);
    }

    long total() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    private void wrong(String check, String example) {
        counts.merge(check, 1L, Long::sum);
        List<String> some = examples.computeIfAbsent(check, ignored -> new ArrayList<>());
        if (some.size() < 10) {
            some.add(example);
        }
    }

    /** Sends the provider took: a new message (eSMS 100, eTelecom 0), whether or not its answer reached the gateway. */
    private static long taken(JsonObject entry) {
        if (entry == null) {
            return 0;
        }
        String newSend = "zns".equals(entry.getString("channel")) ? "0" : "100";
        return sends(entry).stream().filter(send -> send.getInteger("status") == 200 && newSend.equals(send.getString("code"))).count();
    }

    private static List<JsonObject> sends(JsonObject entry) {
        List<JsonObject> all = new ArrayList<>();
        if (entry != null) {
            entry.getJsonArray("sends", new JsonArray()).forEach(send -> all.add((JsonObject) send));
        }
        return all;
    }

    private static boolean receipt(JsonObject entry, String kind) {
        return entry != null && entry.getJsonArray("receipts", new JsonArray()).contains(kind);
    }

    /**
     * Why the state is wrong, or null. Only what the gateway could have known counts against it: a channel is surely
     * delivered when its final receipt was taken and the gateway could match it (the provider's answer reached it, or for
     * eSMS the callback naming our id was taken), surely failed when the provider refused it in an answer that arrived or
     * a failure receipt was taken. DELIVERED needs a delivered receipt the gateway took; CANCELLED, no send at all.
     */
    static String wrongState(Row row, JsonObject zalo, JsonObject sms, boolean cancelAnswered200) {
        boolean zaloMaybeDelivered = receipt(zalo, "nxcloud:delivered");
        boolean smsMaybeDelivered = receipt(sms, "esms:delivered");
        boolean zaloKnown = zalo != null && (sends(zalo).stream().anyMatch(send -> !send.getBoolean("lost")
                && send.getInteger("status") == 200 && ("0".equals(send.getString("code")) || "100".equals(send.getString("code"))
                || "124".equals(send.getString("code")) && send.getString("ref") != null))
                || receipt(zalo, "esms:delivered") || receipt(zalo, "esms:failed"));
        boolean zaloSurelyDelivered = zaloMaybeDelivered && zaloKnown && receipt(zalo, "nxcloud:success")
                && ("zns".equals(zalo.getString("channel")) || receipt(zalo, "esms:delivered"));
        boolean smsSurelyDelivered = smsMaybeDelivered;
        boolean zaloSurelyFailed = zalo != null && (sends(zalo).stream().anyMatch(send -> !send.getBoolean("lost")
                && send.getInteger("status") == 200 && send.getString("code") != null
                && !List.of("0", "100", "124").contains(send.getString("code")))
                || receipt(zalo, "esms:failed") || zaloKnown && receipt(zalo, "nxcloud:failed"));
        boolean smsSurelyFailed = receipt(sms, "esms:failed");
        switch (row.status()) {
            case "CANCELLED" -> {
                return taken(zalo) + taken(sms) > 0 ? "cancelled, yet the provider took it" : null;
            }
            case "DELIVERED" -> {
                return zaloMaybeDelivered || smsMaybeDelivered ? null : "no delivered receipt was ever taken";
            }
            default -> {
                if (cancelAnswered200) {
                    return "its cancel answered 200";
                }
                if (zaloSurelyDelivered || smsSurelyDelivered) {
                    return "a delivered receipt was taken for it (" + (zaloSurelyDelivered ? "zalo" : "sms") + ")";
                }
                if ("FAILED".equals(row.status())) {
                    return null;
                }
                if (zaloSurelyFailed && (!row.fallback() || smsSurelyFailed)) {
                    return "the provider failed it" + (row.fallback() ? " and its SMS" : "");
                }
                return null;
            }
        }
    }
}
