package vn.zalogateway.common.config;

import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Everything under {@code gateway.*}; docs/CONFIGURATION.md lists the same. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /**
     * Lowercase hex SHA-256 hashes of the consumer API keys, comma-separated. The keys themselves
     * are never configured, stored or logged.
     */
    List<String> apiKeyHashes();

    /**
     * Lowercase hex SHA-256 hashes of the administrators' keys, comma-separated: they alone use
     * {@code /v1/admin/**}. None configured: the admin API refuses every call.
     */
    Optional<List<String>> adminKeyHashes();

    Secrets secrets();

    Console console();

    /** The operator console at /console (vn.zalogateway.console). */
    interface Console {
        /**
         * Who may sign in: comma-separated {@code name:role:bcrypt-hash} entries, role {@code admin} or
         * {@code viewer}, hashes {@code $2a$}, {@code $2b$} or {@code $2y$}. None: nobody can sign in.
         */
        Optional<List<String>> operators();

        /** A session unused this long ends; each page an operator opens starts it again. */
        @WithDefault("PT30M")
        Duration idleTimeout();

        /** A session ends this long after sign-in, used or not. */
        @WithDefault("PT12H")
        Duration longestSession();

        /**
         * Base64 of at least 32 bytes that signs sessions and form tokens; every replica needs the same.
         * Unset: derived from gateway.secrets.key; without that too, a random key per start.
         */
        Optional<String> sessionKey();

        /** Session cookies only over HTTPS (browsers treat http://localhost as secure too). */
        @WithDefault("true")
        boolean secureCookies();
    }

    Callbacks callbacks();

    RateLimits rateLimits();

    /** Sends per second (POST /v1/messages and /v1/journeys), held across every replica. */
    interface RateLimits {
        /** Whether limits are enforced at all. */
        @WithDefault("true")
        boolean enabled();

        /** A consumer's sends per second when its own {@code rate_limit_per_second} is not set. */
        @WithDefault("200")
        int perConsumer();

        /** Sends per second through one OA, whichever consumers send them. */
        @WithDefault("500")
        int perOa();
    }

    /** Secrets the gateway keeps and must use again (callback signing secrets), sealed at rest. */
    interface Secrets {
        /** Base64 of 32 random bytes (AES-256-GCM); required in prod, where a missing key stops the start. It seals. */
        Optional<String> key();

        /**
         * Keys that sealed before gateway.secrets.key (comma-separated base64): they still open what they sealed,
         * and each start seals such values again with gateway.secrets.key. Drop one once no value needs it.
         */
        Optional<List<String>> previousKeys();
    }

    /** Consumers' status callbacks. */
    interface Callbacks {
        /** Allow {@code http://} callback URLs (dev, tests); otherwise https only. */
        @WithDefault("false")
        boolean allowHttp();

        /** Allow callback hosts that resolve to loopback, private, link-local or metadata addresses (dev, tests). */
        @WithDefault("false")
        boolean allowPrivateNetworks();

        /** Whether this instance sends callbacks (any number of replicas may). */
        @WithDefault("true")
        boolean enabled();

        /** How often due callbacks are looked for. */
        @WithDefault("PT0.5S")
        Duration pollInterval();

        /** How long a receiver may take to answer before the attempt counts as failed. */
        @WithDefault("PT15S")
        Duration timeout();

        /** Callbacks of one consumer in flight on one instance, at most: a slow receiver holds back only its own. */
        @WithDefault("8")
        int inFlightPerConsumer();

        /** The waits before each retry; after the last retry fails the delivery is FAILED. */
        @WithDefault("PT5S,PT5M,PT30M,PT2H,PT5H,PT10H,PT10H")
        List<Duration> retryDelays();

        /** Redeliveries a consumer may ask for a minute ({@code POST /v1/callbacks/{id}/redeliver}), across every replica. */
        @WithDefault("30")
        int redeliveriesPerMinute();
    }

    /** Zone for timestamps in responses and for provider-style {@code yyyy-MM-dd HH:mm:ss} input. */
    @WithDefault("Asia/Ho_Chi_Minh")
    ZoneId timeZone();

    Etelecom etelecom();

    Idempotency idempotency();

    Esms esms();

    Dispatch dispatch();

    Webhooks webhooks();

    Receipts receipts();

    EmbeddedPostgres embeddedPostgres();

    Database database();

    Retention retention();

    /** How long rows are kept (0 = keep for ever); one replica at a time deletes older ones, in batches. */
    interface Retention {
        /** Idempotency keys: a retry after this is a new request. */
        @WithDefault("PT24H")
        Duration idempotencyKeys();

        /** Receipts that never found their message or journey (and unreadable ones kept for inspection). */
        @WithDefault("P7D")
        Duration unmatchedReceipts();

        /** Messages in a final state, journeys no message uses any more, and receipts, after their last change. */
        @WithDefault("P90D")
        Duration messages();

        /** Per-OA hourly cost sums (the console's costs), kept beyond the receipts they were summed from. */
        @WithDefault("P400D")
        Duration costHours();

        /** API keys after their revocation (the admin API lists them until then). */
        @WithDefault("P90D")
        Duration revokedKeys();

        /** Callback secrets after they stopped signing (their {@code retires_at}): they are of no use any more. */
        @WithDefault("P7D")
        Duration retiredSecrets();

        /** How often old rows are looked for. */
        @WithDefault("PT1H")
        Duration interval();
    }

    /** Bounds on the reactive pool beyond Quarkus' own settings (quarkus.datasource.reactive.*). */
    interface Database {
        /**
         * Requests that may wait for a connection when all are busy; the next one is refused with 503 and
         * Retry-After at once instead of waiting without end.
         */
        @WithDefault("500")
        int maxWaitQueue();
    }

    /**
     * Dev mode and tests only (vn.zalogateway.devdatabase): the PostgreSQL started when no datasource URL
     * is configured and no Docker engine answers for Dev Services. Read before the application starts.
     */
    interface EmbeddedPostgres {
        /** false: never start one (the app then needs a configured URL or Dev Services). */
        @WithDefault("true")
        boolean enabled();

        /** Where its data is kept between runs; absent: a temporary folder, deleted when the JVM exits. */
        Optional<String> dataDir();
    }

    /** Pulling back eSMS callbacks that never arrived (eSMS retries a callback only when our URL times out). */
    interface Receipts {
        /** How often messages stuck in SUBMITTED are looked up with GetCallback. */
        @WithDefault("PT5M")
        Duration reconcileInterval();

        /** How long a message waits in SUBMITTED for its callback before it is first looked up; each next look waits twice as long. */
        @WithDefault("PT10M")
        Duration reconcileAfter();

        /** Looks with backoff before the last one, which comes at {@link #waitFor()}. */
        @WithDefault("4")
        int maxLooks();

        /**
         * How long a SUBMITTED message may go without a final receipt, whatever its provider: then it becomes
         * UNCONFIRMED (a later receipt still moves it on); eSMS is asked a last time where it can be.
         */
        @WithName("wait")
        @WithDefault("PT72H")
        Duration waitFor();

        /** How often messages past the wait are looked for. */
        @WithDefault("PT1M")
        Duration waitCheck();

        /** GetCallback calls per second, across all replicas (one replica reconciles at a time); eSMS allows 20. */
        @WithDefault("10")
        int reconcileRate();

        /** Message receipts stored and applied in one transaction at most (group commit). */
        @WithDefault("128")
        int largestBatch();

        /** Batches of receipts written at once by each replica: one fills while another commits. */
        @WithDefault("2")
        int batchWriters();
    }

    /**
     * The secrets in our webhook paths (a webhook whose secret is not set refuses every call), and optionally
     * the networks each provider calls from.
     */
    interface Webhooks {
        /** One secret, or two, comma-separated, while the provider is moved from the old to the new one. */
        Optional<List<String>> nxcloudSecret();

        Optional<List<String>> esmsSecret();

        /** CIDRs NXCloud calls from; absent: any address (the path secret is the check). */
        Optional<List<String>> nxcloudAllowedCidrs();

        Optional<List<String>> esmsAllowedCidrs();

        /** CIDRs of the proxies (the ingress controller) whose X-Forwarded-For is believed; absent: none. */
        Optional<List<String>> trustedProxies();
    }

    interface Etelecom {
        /** Bearer key for CreateJourney: a shop's API_KEY (shop base URL) or a partner's shop_key (partner base URL). */
        String apiKey();
    }

    interface Esms {
        /** eSMS ApiKey (sent in the request body, as eSMS wants). */
        String apiKey();

        /** eSMS SecretKey. */
        String secretKey();

        /** Public URL of our eSMS callback webhook, sent as CallbackUrl; none is sent when absent. */
        Optional<String> callbackUrl();
    }

    /** SMS fallbacks (contract v1.3), sent through eSMS brandname SMS with the eSMS credentials above. */
    Sms sms();

    interface Sms {
        /** The brandname an SMS fallback is sent under when the message names none; without one, a fallback must name it. */
        Optional<String> brandname();
    }

    /** {@code GET /v1/oas/{oa_id}/quota}: when a provider is asked for an OA's quota. */
    Quota quota();

    interface Quota {
        /**
         * How long an OA's latest quota reading is trusted: an older one (or none) sends {@code GET /v1/oas/{oa_id}/quota}
         * to ask a provider (eSMS, then eTelecom); and an OA is asked about at most this often per replica.
         */
        @WithDefault("PT5M")
        Duration maxAge();
    }

    /** ZNS templates ({@code GET /v1/oas/{oa_id}/templates}, and the check of a zns_journey message at accept). */
    Templates templates();

    interface Templates {
        /**
         * How long a ZNS template read from a provider is trusted: an older one (or none) is asked again (eTelecom, then
         * eSMS) when it is next needed; within it, a message is checked against the template kept in memory.
         */
        @WithDefault("PT1H")
        Duration refresh();
    }

    /** The outbox dispatcher that hands accepted messages to eSMS. */
    interface Dispatch {
        /** Whether this instance dispatches at all (every replica may; they never send the same message twice). */
        @WithDefault("true")
        boolean enabled();

        /** How often the outbox is polled for due messages (new messages are also dispatched at once). */
        @WithDefault("PT1S")
        Duration pollInterval();

        /** Messages claimed per round. */
        @WithDefault("200")
        int batchSize();

        /** eSMS calls in flight at once per instance. */
        @WithDefault("64")
        int concurrency();

        /** How long a claimed message is reserved for this instance; a crash frees it after this. */
        @WithDefault("PT1M")
        Duration lease();

        /** Attempts before a message that keeps failing transiently is FAILED. */
        @WithDefault("10")
        int maxAttempts();

        /** First retry delay; doubled per attempt up to {@link #backoffMax()}. */
        @WithDefault("PT2S")
        Duration backoffBase();

        @WithDefault("PT10M")
        Duration backoffMax();
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
