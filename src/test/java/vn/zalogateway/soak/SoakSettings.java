package vn.zalogateway.soak;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every number of the soak, each a system property ({@code -Dsoak.minutes=10 -Dsoak.rate=100 -Dsoak.seed=42}); the
 * defaults are issue 35's ten minutes. {@link #describe()} prints them all at the start of a run, with the seed, so that
 * any run can be repeated.
 *
 * @param minutes how long the load runs (a fraction for short runs: 0.5 is 30 s)
 * @param rate messages a second, across all consumers (an open loop: sent when due, whatever the answers)
 * @param seed the fault schedule's and the load mix's seed (default: the clock, printed)
 * @param consumers how many consumers send (each with its own key, callback URL and signing secret)
 * @param drain how long, after the load stops, every message may take to be final and every callback delivered
 * @param journeyShare share of ZNS journey messages (the rest are transaction messages)
 * @param fallbackShare share of messages with an SMS fallback
 * @param scheduledShare share of messages with a {@code send_at} a few seconds ahead or a send window
 * @param cancelShare share of the scheduled messages the consumer cancels a moment after the 202
 * @param keyedShare share of messages sent with an {@code Idempotency-Key}, retried by the client after a timeout
 * @param batchShare share of messages sent in batches ({@code POST /v1/batches}, {@link SoakLoad#BATCH_ITEMS} a batch,
 *        each batch under an {@code Idempotency-Key} the client sends again after a timeout or a failure)
 * @param clientTimeout how long a keyed client waits for its answer before it asks again under the same key
 * @param killEveryMin shortest time between two kill -9 (one replica at a time)
 * @param killEveryMax longest time between two kill -9
 * @param restartAfter how long a killed replica stays down
 * @param databaseRestarts how many times PostgreSQL is restarted during the load
 * @param databaseDownMin shortest time PostgreSQL is down
 * @param databaseDownMax longest time PostgreSQL is down
 * @param receiverHang how long the callback receiver hangs at a time (issue 35: a minute)
 * @param receiptsWait the replicas' {@code gateway.receipts.wait}: a message with no final receipt by then is UNCONFIRMED
 * @param zaloFailureRate share of Zalo messages the simulated providers fail
 * @param smsFailureRate share of fallback SMS the simulated carrier fails
 */
record SoakSettings(double minutes, int rate, long seed, int consumers, Duration drain, double journeyShare,
        double fallbackShare, double scheduledShare, double cancelShare, double keyedShare, double batchShare,
        Duration clientTimeout, Duration killEveryMin, Duration killEveryMax, Duration restartAfter, int databaseRestarts,
        Duration databaseDownMin, Duration databaseDownMax, Duration receiverHang, Duration receiptsWait,
        double zaloFailureRate, double smsFailureRate) {

    static SoakSettings fromSystemProperties() {
        return new SoakSettings(number("minutes", 10), (int) number("rate", 100),
                Long.getLong("soak.seed", System.currentTimeMillis()), (int) number("consumers", 3), duration("drain", "PT5M"),
                number("journey-share", 0.35), number("fallback-share", 0.2), number("scheduled-share", 0.15),
                number("cancel-share", 0.3), number("keyed-share", 0.3), number("batch-share", 0.1),
                duration("client-timeout", "PT3S"), duration("kill-every-min", "PT20S"), duration("kill-every-max", "PT40S"),
                duration("restart-after", "PT5S"), (int) number("database-restarts", 2), duration("database-down-min", "PT5S"),
                duration("database-down-max", "PT10S"), duration("receiver-hang", "PT60S"), duration("receipts-wait", "PT60S"),
                number("zalo-failure-rate", 0.1), number("sms-failure-rate", 0.2));
    }

    Duration load() {
        return Duration.ofMillis(Math.round(minutes * 60_000));
    }

    int total() {
        return (int) Math.round(rate * minutes * 60);
    }

    Map<String, Object> describe() {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("minutes", minutes);
        all.put("rate", rate);
        all.put("seed", seed);
        all.put("consumers", consumers);
        all.put("drain", drain);
        all.put("journey-share", journeyShare);
        all.put("fallback-share", fallbackShare);
        all.put("scheduled-share", scheduledShare);
        all.put("cancel-share", cancelShare);
        all.put("keyed-share", keyedShare);
        all.put("batch-share", batchShare);
        all.put("client-timeout", clientTimeout);
        all.put("kill-every", killEveryMin + ".." + killEveryMax);
        all.put("restart-after", restartAfter);
        all.put("database-restarts", databaseRestarts);
        all.put("database-down", databaseDownMin + ".." + databaseDownMax);
        all.put("receiver-hang", receiverHang);
        all.put("receipts-wait", receiptsWait);
        all.put("zalo-failure-rate", zaloFailureRate);
        all.put("sms-failure-rate", smsFailureRate);
        return all;
    }

    private static double number(String name, double otherwise) {
        String value = System.getProperty("soak." + name);
        return value == null || value.isBlank() ? otherwise : Double.parseDouble(value.trim());
    }

    private static Duration duration(String name, String otherwise) {
        String value = System.getProperty("soak." + name);
        String text = value == null || value.isBlank() ? otherwise : value.trim();
        return text.matches("\\d+s") ? Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1))) : Duration.parse(text);
    }
}
