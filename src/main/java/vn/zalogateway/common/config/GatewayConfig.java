package vn.zalogateway.common.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Everything under {@code gateway.*}; the README's configuration table lists the same. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * Lowercase hex SHA-256 hashes of the consumer API keys, comma-separated. The keys themselves
     * are never configured, stored or logged.
     */
    List<String> apiKeyHashes();

    /** Zone for timestamps in responses and for provider-style {@code yyyy-MM-dd HH:mm:ss} input. */
    @WithDefault("Asia/Ho_Chi_Minh")
    ZoneId timeZone();

    Etelecom etelecom();

    Idempotency idempotency();

    interface Etelecom {
        /** Bearer key for CreateJourney: a shop's API_KEY (shop base URL) or a partner's shop_key (partner base URL). */
        String apiKey();
    }

    interface Idempotency {
        /**
         * How long a request may hold its Idempotency-Key before a retry may take it over; longer
         * than the slowest upstream call with its retries, so a live request is never doubled.
         */
        @WithDefault("PT2M")
        Duration inFlightLease();
    }
}
