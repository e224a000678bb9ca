package vn.zalogateway.simulator;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The simulator's knobs. Configured as {@code simulator.<name>} (dev profile), changed while it
 * runs with {@code PUT /simulator/settings} ({@code {"failure_rate": 0.2}}), or built in code by
 * tests and benchmarks; every way goes through {@link #with(String, String)}.
 *
 * @param latency how long each provider call takes to answer
 * @param receiptDelay how long before each receipt (the first after the send, each next after the one before)
 * @param failureRate share of journeys eTelecom refuses ({@code error_code} 1) and of messages Zalo refuses (for a
 *        transaction message, eSMS's failed callback and NXCloud's {@code failed}; for a journey message, eTelecom's
 *        refusal relaying Zalo's -118, and NXCloud's {@code failed})
 * @param unavailableRate share of provider calls answered HTTP 503, which the gateway retries
 * @param receipts which receipts are sent back
 * @param outOfOrder each message's receipts in reverse order ({@code delivered} before {@code success})
 * @param duplicates extra copies of every receipt, sent at the same moment as the first
 * @param nxcloudWebhookUrl where NXCloud receipts go: the gateway's {@code /v1/webhooks/nxcloud/{secret}}
 * @param tokenLifetime how long a journey token lives: zero for its type's own (7 or 30 days); a token never used
 *        within it brings {@code journey_time_out} (when that receipt is on)
 * @param duplicateWithoutSmsIdRate share of eSMS's {@code 124} answers (a RequestId it has seen) that leave the SMSID out
 * @param blockedUserIds Zalo user ids eSMS answers {@code 99} (blocked number) for
 * @param dailyQuota each OA's daily Zalo quota: NXCloud's {@code success} reports what is left, and once it is used up
 *        eSMS answers {@code 801} (over quota); 0 shows an OA whose quota is spent
 * @param smsFailureRate share of brandname SMS (fallbacks) the carrier fails to deliver (eSMS's callback with SendFailed)
 */
public record SimulatorSettings(
        Duration latency,
        Duration receiptDelay,
        double failureRate,
        double unavailableRate,
        Set<SimulatedReceipt> receipts,
        boolean outOfOrder,
        int duplicates,
        String nxcloudWebhookUrl,
        Duration tokenLifetime,
        double duplicateWithoutSmsIdRate,
        Set<String> blockedUserIds,
        int dailyQuota,
        double smsFailureRate) {

    /** The knobs' names, in config ({@code simulator.receipt-delay}); JSON uses snake_case ({@code receipt_delay}). */
    public static final List<String> NAMES = List.of("latency", "receipt-delay", "failure-rate", "unavailable-rate",
            "receipts", "out-of-order", "duplicates", "nxcloud-webhook-url", "token-lifetime", "duplicate-without-smsid-rate",
            "blocked-user-ids", "daily-quota", "sms-failure-rate");

    private static final Duration LONGEST_DELAY = Duration.ofMinutes(10);
    private static final Duration LONGEST_TOKEN_LIFETIME = Duration.ofDays(30);
    private static final int MOST_DUPLICATES = 10;
    private static final int MOST_BLOCKED = 1000;
    /** The largest daily quota: one no run spends (the soak and the whole-loop benchmarks use it). */
    public static final int LARGEST_QUOTA = 1_000_000_000;

    public SimulatorSettings {
        requireBetween(latency, "latency", LONGEST_DELAY);
        requireBetween(receiptDelay, "receipt-delay", LONGEST_DELAY);
        requireBetween(tokenLifetime, "token-lifetime", LONGEST_TOKEN_LIFETIME);
        requireRate(failureRate, "failure-rate");
        requireRate(unavailableRate, "unavailable-rate");
        requireRate(duplicateWithoutSmsIdRate, "duplicate-without-smsid-rate");
        requireRate(smsFailureRate, "sms-failure-rate");
        if (dailyQuota < 0 || dailyQuota > LARGEST_QUOTA) {
            throw new IllegalArgumentException("daily-quota must be between 0 and " + LARGEST_QUOTA);
        }
        receipts = receipts.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(receipts));
        if (duplicates < 0 || duplicates > MOST_DUPLICATES) {
            throw new IllegalArgumentException("duplicates must be between 0 and " + MOST_DUPLICATES);
        }
        if (nxcloudWebhookUrl == null || !nxcloudWebhookUrl.matches("https?://\\S+")) {
            throw new IllegalArgumentException("nxcloud-webhook-url must be an http(s) URL");
        }
        if (blockedUserIds.size() > MOST_BLOCKED || blockedUserIds.stream().anyMatch(id -> !id.matches("[0-9A-Za-z_-]{1,64}"))) {
            throw new IllegalArgumentException("blocked-user-ids must be at most " + MOST_BLOCKED
                    + " user ids of 1 to 64 letters, digits, - or _");
        }
        blockedUserIds = Set.copyOf(blockedUserIds);
    }

    /**
     * The demo's pace: answers in 100 ms, a receipt every 2 s, nothing fails, every receipt once and in order, tokens
     * living as long as their type says, half of eSMS's 124 answers without an SMSID, nobody blocked, 5,000 messages a
     * day per OA, every SMS delivered.
     */
    public static SimulatorSettings defaults(String nxcloudWebhookUrl) {
        return new SimulatorSettings(Duration.ofMillis(100), Duration.ofSeconds(2), 0, 0,
                EnumSet.of(SimulatedReceipt.SUCCESS, SimulatedReceipt.DELIVERED, SimulatedReceipt.ESMS_CALLBACK,
                        SimulatedReceipt.JOURNEY_ACKNOWLEDGED),
                false, 0, nxcloudWebhookUrl, Duration.ZERO, 0.5, Set.of(), ProviderBodies.DAILY_QUOTA, 0);
    }

    /** The defaults changed by whichever knobs {@code property} knows (by their config names). */
    public static SimulatorSettings from(String nxcloudWebhookUrl, Function<String, Optional<String>> property) {
        SimulatorSettings settings = defaults(nxcloudWebhookUrl);
        for (String name : NAMES) {
            Optional<String> value = property.apply(name);
            if (value.isPresent()) {
                settings = settings.with(name, value.get());
            }
        }
        return settings;
    }

    /** These settings with one knob changed; {@code name} in config (kebab) or JSON (snake) case. */
    public SimulatorSettings with(String name, String value) {
        String text = value == null ? "" : value.trim();
        Duration latency = this.latency;
        Duration receiptDelay = this.receiptDelay;
        double failureRate = this.failureRate;
        double unavailableRate = this.unavailableRate;
        Set<SimulatedReceipt> receipts = this.receipts;
        boolean outOfOrder = this.outOfOrder;
        int duplicates = this.duplicates;
        String nxcloudWebhookUrl = this.nxcloudWebhookUrl;
        Duration tokenLifetime = this.tokenLifetime;
        double duplicateWithoutSmsIdRate = this.duplicateWithoutSmsIdRate;
        Set<String> blockedUserIds = this.blockedUserIds;
        int dailyQuota = this.dailyQuota;
        double smsFailureRate = this.smsFailureRate;
        switch (name.replace('_', '-')) {
            case "latency" -> latency = duration(text, name);
            case "receipt-delay" -> receiptDelay = duration(text, name);
            case "failure-rate" -> failureRate = number(text, name);
            case "unavailable-rate" -> unavailableRate = number(text, name);
            case "receipts" -> receipts = receiptList(text);
            case "out-of-order" -> outOfOrder = bool(text, name);
            case "duplicates" -> duplicates = (int) whole(text, name);
            case "nxcloud-webhook-url" -> nxcloudWebhookUrl = text;
            case "token-lifetime" -> tokenLifetime = duration(text, name);
            case "duplicate-without-smsid-rate" -> duplicateWithoutSmsIdRate = number(text, name);
            case "blocked-user-ids" -> blockedUserIds = Arrays.stream(text.split(",")).map(String::trim)
                    .filter(id -> !id.isEmpty()).collect(Collectors.toSet());
            case "daily-quota" -> dailyQuota = (int) Math.min(whole(text, name), Integer.MAX_VALUE);
            case "sms-failure-rate" -> smsFailureRate = number(text, name);
            default -> throw new IllegalArgumentException(name + " is not a simulator setting; they are "
                    + String.join(", ", NAMES));
        }
        return new SimulatorSettings(latency, receiptDelay, failureRate, unavailableRate, receipts, outOfOrder, duplicates,
                nxcloudWebhookUrl, tokenLifetime, duplicateWithoutSmsIdRate, blockedUserIds, dailyQuota, smsFailureRate);
    }

    /** The settings as JSON names and values, as {@code GET /simulator/settings} shows them. */
    public Map<String, Object> describe() {
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("latency", latency.toString());
        described.put("receipt_delay", receiptDelay.toString());
        described.put("failure_rate", failureRate);
        described.put("unavailable_rate", unavailableRate);
        described.put("receipts", receipts.stream().sorted().map(SimulatedReceipt::wireName).toList());
        described.put("out_of_order", outOfOrder);
        described.put("duplicates", duplicates);
        described.put("nxcloud_webhook_url", nxcloudWebhookUrl);
        described.put("token_lifetime", tokenLifetime.toString());
        described.put("duplicate_without_smsid_rate", duplicateWithoutSmsIdRate);
        described.put("blocked_user_ids", blockedUserIds.stream().sorted().toList());
        described.put("daily_quota", dailyQuota);
        described.put("sms_failure_rate", smsFailureRate);
        return described;
    }

    /** {@code 250ms}, {@code 2s} or ISO-8601 ({@code PT2S}). */
    private static Duration duration(String text, String name) {
        try {
            if (text.matches("\\d+ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
            }
            if (text.matches("\\d+s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1)));
            }
            return Duration.parse(text.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException | NumberFormatException unreadable) {
            throw new IllegalArgumentException(name + " must be a duration such as 250ms, 2s or PT2S");
        }
    }

    private static double number(String text, String name) {
        try {
            return Double.parseDouble(text);
        } catch (NumberFormatException unreadable) {
            throw new IllegalArgumentException(name + " must be a number between 0 and 1");
        }
    }

    private static long whole(String text, String name) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException unreadable) {
            throw new IllegalArgumentException(name + " must be a whole number");
        }
    }

    private static boolean bool(String text, String name) {
        if (!text.equals("true") && !text.equals("false")) {
            throw new IllegalArgumentException(name + " must be true or false");
        }
        return Boolean.parseBoolean(text);
    }

    /** Comma-separated wire names; empty for none. */
    private static Set<SimulatedReceipt> receiptList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(name -> !name.isEmpty())
                .map(name -> SimulatedReceipt.fromWireName(name).orElseThrow(() -> new IllegalArgumentException(
                        "receipts: " + name + " is none of " + Arrays.stream(SimulatedReceipt.values())
                                .map(SimulatedReceipt::wireName).collect(Collectors.joining(", ")))))
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(SimulatedReceipt.class)));
    }

    private static void requireBetween(Duration duration, String name, Duration longest) {
        if (duration == null || duration.isNegative() || duration.compareTo(longest) > 0) {
            throw new IllegalArgumentException(name + " must be between 0 and " + longest);
        }
    }

    private static void requireRate(double rate, String name) {
        if (!(rate >= 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be between 0 and 1");
        }
    }
}
