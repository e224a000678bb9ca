package vn.zalogateway.soak;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    record Row(String id, String status, String ext, boolean fallback, int sequence, String errorCode) {
    }

    final Map<String, Long> counts = new LinkedHashMap<>();
    final Map<String, List<String>> examples = new LinkedHashMap<>();
    int finalOfAccepted;
    /** eSMS callbacks taken whose receipt GetCallback had brought first: stored once, in GetCallback's words. */
    long keptAsGetCallbackSaidIt;
    /** ZNS journey messages whose answer died with the replica that called (see {@link #answerDiedWithItsReplica}). */
    long unknownAfterKill;

    SoakChecks(SoakLoad load, JsonObject journal, Set<String> receiptDigests, Set<String> callbacksReceived, List<Long> kills,
            Duration outcomeHeld) throws Exception {
        for (String check : List.of("lost", "stuck", "resent_new_id", "wrong_state", "callbacks_missing", "callbacks_unsigned",
                "receipts_lost", "idempotency_broken")) {
            counts.put(check, 0L);
        }
        Map<String, Row> rows = new HashMap<>();
        Map<String, Integer> journeySequences = new HashMap<>();
        try (Connection connection = TestDatabase.connect(GatewayDatabase.DB); Statement statement = connection.createStatement()) {
            try (ResultSet result = statement.executeQuery(
                    "select id::text, status, ext, fallback_text is not null, event_sequence, error_code from messages")) {
                while (result.next()) {
                    rows.put(result.getString(1), new Row(result.getString(1), result.getString(2), result.getString(3),
                            result.getBoolean(4), result.getInt(5), result.getString(6)));
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
            if (answerDiedWithItsReplica(row, journal.getJsonObject(row.id()), kills, outcomeHeld)) {
                unknownAfterKill++;
                continue;
            }
            String why = wrongState(row, journal.getJsonObject(row.id()), journal.getJsonObject(row.id() + "-sms"),
                    load.cancelled.contains(row.id()));
            if (why != null) {
                boolean firstFew = examples.getOrDefault("wrong_state", List.of()).size() < 3;
                wrong("wrong_state", row.id() + " " + row.status() + ": " + why + (firstFew ? "; " + gatewaysAccount(row.id())
                        + "; the simulator's " + journal.getJsonObject(row.id()) : ""));
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
        // receipts_lost: a receipt the simulator got a 2xx for, not stored. Its bytes are stored, or the receipt is the
        // same as one stored before: an eSMS callback that the reconciler's GetCallback brought first is stored in
        // GetCallback's words, and the callback, the same receipt by its natural key, adds no row.
        Set<String> stored = GatewayDatabase.strings("select md5(raw_body) from receipts");
        Map<String, Set<String>> takenPerSmsId = new HashMap<>();
        receiptDigests.forEach(taken -> smsId(taken).ifPresent(smsId ->
                takenPerSmsId.computeIfAbsent(smsId, ignored -> new HashSet<>()).add(digest(taken))));
        Map<String, Long> storedPerSmsId = new HashMap<>();
        Set<String> broughtByGetCallback = new HashSet<>();
        try (Connection connection = TestDatabase.connect(GatewayDatabase.DB); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("select request_id, count(*), bool_or(raw_body like '{%') from receipts "
                        + "where provider = 'esms' and request_id is not null group by request_id")) {
            while (result.next()) {
                storedPerSmsId.put(result.getString(1), result.getLong(2));
                if (result.getBoolean(3)) {
                    broughtByGetCallback.add(result.getString(1)); // a query never starts with '{'; GetCallback's JSON does
                }
            }
        }
        for (String taken : receiptDigests) {
            if (stored.contains(digest(taken))) {
                continue;
            }
            String smsId = smsId(taken).orElse(null);
            if (smsId != null && broughtByGetCallback.contains(smsId)
                    && storedPerSmsId.getOrDefault(smsId, 0L) >= takenPerSmsId.get(smsId).size()) {
                keptAsGetCallbackSaidIt++;
            } else {
                wrong("receipts_lost", taken);
            }
        }
    }

    /**
     * A ZNS journey message the gateway says it cannot know (UNCONFIRMED, send_outcome_unknown) whose eTelecom answer
     * came back just before a replica was killed (within the time a dispatcher holds an outcome it cannot write): the
     * answer died with the replica that called. eTelecom drops no repeated tracking_id and its receipts name only its
     * own ids, so not knowing is the true state; anything else would be a second send or a guess.
     */
    static boolean answerDiedWithItsReplica(Row row, JsonObject zns, List<Long> kills, Duration outcomeHeld) {
        if (zns == null || !"zns".equals(zns.getString("channel")) || !"UNCONFIRMED".equals(row.status())
                || !"send_outcome_unknown".equals(row.errorCode())) {
            return false;
        }
        return sends(zns).stream().filter(send -> !send.getBoolean("lost")).map(send -> send.getLong("at", 0L))
                .anyMatch(answered -> kills.stream().anyMatch(kill -> kill >= answered && kill <= answered + outcomeHeld.toMillis()));
    }

    /** The message's ids as the gateway knows them, and every receipt stored for it or naming one of those ids. */
    private static String gatewaysAccount(String id) throws Exception {
        String message = GatewayDatabase.sqlText("select row_to_json(m)::text from (select status, error_code, kind, "
                + "provider_message_id, zalo_msg_id, nxcloud_request_id, updated_at from messages where id = '" + id + "') m");
        String receipts = GatewayDatabase.sqlText("select coalesce(json_agg(r)::text, '[]') from (select r.provider, r.status, "
                + "r.request_id, r.zalo_msg_id, r.message_ref is not null as matched, r.applied_at, r.received_at from receipts r, "
                + "messages m where m.id = '" + id + "' and (r.message_ref = m.id or r.request_id in (m.provider_message_id, "
                + "m.nxcloud_request_id) or r.zalo_msg_id = m.zalo_msg_id or r.raw_body like '%' || m.id || '%') "
                + "order by r.received_at) r");
        return "the gateway's " + message + " with receipts " + receipts;
    }

    /** The MD5 a receipt of the journal is listed under ("<md5> <what it was>"). */
    private static String digest(String taken) {
        return taken.substring(0, taken.indexOf(' '));
    }

    /** The SMSID an eSMS callback of the journal was about ("... of SMSID <id>"). */
    private static Optional<String> smsId(String taken) {
        int of = taken.indexOf(" of SMSID ");
        return taken.contains(" eSMS ") && of >= 0 ? Optional.of(taken.substring(of + " of SMSID ".length()).trim())
                : Optional.empty();
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

    /** A receipt the simulator sent and had no 2xx for (a timeout, a replica killed after its commit): maybe kept. */
    private static boolean receiptMaybeTaken(JsonObject entry, String kind) {
        return receipt(entry, kind) || entry != null && entry.getJsonArray("abandoned", new JsonArray()).contains(kind);
    }

    /**
     * Why the state is wrong, or null. Only what the gateway could have known counts against it: a channel is surely
     * delivered when its final receipt was taken and the gateway could match it (the provider's answer reached it, or for
     * eSMS the callback naming our id was taken), surely failed when the provider refused it in an answer that arrived or
     * a failure receipt was taken. DELIVERED needs a delivered receipt sent to the gateway (taken, or its answer lost:
     * a replica killed after its commit keeps it all the same); CANCELLED, no send at all.
     */
    static String wrongState(Row row, JsonObject zalo, JsonObject sms, boolean cancelAnswered200) {
        boolean zaloMaybeDelivered = receiptMaybeTaken(zalo, "nxcloud:delivered") || receiptMaybeTaken(zalo, "esms:delivered");
        boolean smsMaybeDelivered = receiptMaybeTaken(sms, "esms:delivered");
        boolean zaloKnown = zalo != null && (sends(zalo).stream().anyMatch(send -> !send.getBoolean("lost")
                && send.getInteger("status") == 200 && ("0".equals(send.getString("code")) || "100".equals(send.getString("code"))
                || "124".equals(send.getString("code")) && send.getString("ref") != null))
                || receipt(zalo, "esms:delivered") || receipt(zalo, "esms:failed"));
        boolean zaloSurelyDelivered = receipt(zalo, "nxcloud:delivered") && zaloKnown && receipt(zalo, "nxcloud:success")
                && ("zns".equals(zalo.getString("channel")) || receipt(zalo, "esms:delivered"));
        boolean smsSurelyDelivered = receipt(sms, "esms:delivered");
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
