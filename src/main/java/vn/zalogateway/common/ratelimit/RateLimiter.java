package vn.zalogateway.common.ratelimit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimization;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import vn.zalogateway.common.auth.ConsumerIdentity;
import vn.zalogateway.common.BackOnContext;
import vn.zalogateway.common.config.GatewayConfig;
import vn.zalogateway.common.problem.Problem;
import vn.zalogateway.common.problem.ProblemException;

/**
 * Sends per second, per consumer and per OA, held across every replica: a token bucket each (Bucket4j,
 * state in PostgreSQL), as large as a second's sends and refilled smoothly. Past the limit a send is
 * refused with 429 before anything is stored or sent. A busy bucket does not cost a round trip per request:
 * see {@link #optimization(int)}.
 */
@ApplicationScoped
public class RateLimiter {

    /** Bucket proxies kept (each holds its batching state); past this many the map starts again. */
    static final int MOST_BUCKETS = 10_000;
    /** A bucket of a large limit is written back at least every 1/SLACK_DIVISOR of it, or every SYNC_MILLIS. */
    static final int SLACK_DIVISOR = 20;
    static final long SYNC_MILLIS = 50;

    private final GatewayConfig.RateLimits settings;
    private final PgBuckets store;
    private final MeterRegistry meters;
    private final Map<String, AsyncBucketProxy> buckets = new ConcurrentHashMap<>();

    RateLimiter(GatewayConfig config, Pool pool, MeterRegistry meters) {
        this.settings = config.rateLimits();
        this.store = new PgBuckets(pool);
        this.meters = meters;
    }

    /** One send by this consumer through this OA: what is left of the consumer's limit, or a 429. */
    public Uni<RateLimit> admit(ConsumerIdentity consumer, long oaId) {
        if (!settings.enabled()) {
            return Uni.createFrom().item(RateLimit.NONE);
        }
        int perConsumer = consumer.rateLimitPerSecond() != null ? consumer.rateLimitPerSecond() : settings.perConsumer();
        return admit(List.of(new Limit("consumer", consumer.id().toString(), perConsumer, "consumer " + consumer.name()),
                new Limit("oa", Long.toString(oaId), settings.perOa(), "OA " + oaId)));
    }

    /**
     * Many sends at once (a batch's), each counted: as many tokens from the consumer's bucket as there are sends, and from
     * each OA's bucket as many as go through it. All or nothing for the caller: the first limit without enough refuses
     * them all with a 429 (what earlier limits gave is spent, as for one send refused by its OA's limit).
     */
    public Uni<RateLimit> admitAll(ConsumerIdentity consumer, Map<Long, Integer> sendsPerOa) {
        int sends = sendsPerOa.values().stream().mapToInt(Integer::intValue).sum();
        if (!settings.enabled() || sends == 0) {
            return Uni.createFrom().item(RateLimit.NONE);
        }
        int perConsumer = consumer.rateLimitPerSecond() != null ? consumer.rateLimitPerSecond() : settings.perConsumer();
        List<Limit> limits = new java.util.ArrayList<>();
        List<Integer> tokens = new java.util.ArrayList<>();
        limits.add(new Limit("consumer", consumer.id().toString(), perConsumer, "consumer " + consumer.name()));
        tokens.add(sends);
        sendsPerOa.forEach((oaId, count) -> {
            limits.add(new Limit("oa", Long.toString(oaId), settings.perOa(), "OA " + oaId));
            tokens.add(count);
        });
        return admit(limits, tokens);
    }

    /**
     * One use of an operation that a consumer may do {@code perMinute} times a minute (redelivering a callback),
     * held across every replica like the sends: what is left, or a 429 with Retry-After. {@code operation} (a verb:
     * "redeliver") names the bucket, the metric's {@code limit} tag and the problem's detail.
     */
    public Uni<RateLimit> admitPerMinute(ConsumerIdentity consumer, String operation, int perMinute) {
        if (!settings.enabled()) {
            return Uni.createFrom().item(RateLimit.NONE);
        }
        return admit(List.of(new Limit(operation, consumer.id().toString(), perMinute, Duration.ofMinutes(1),
                "consumer " + consumer.name(), operation)));
    }

    /** A limit to take a token from: {@code kind} and {@code id} name its bucket; {@code amount} per {@code period}. */
    record Limit(String kind, String id, int amount, Duration period, String who, String what) {
        /** Sends per second. */
        Limit(String kind, String id, int perSecond, String who) {
            this(kind, id, perSecond, SECOND, who, "send");
        }

        String key() {
            // The rate is part of the key: a changed limit starts a fresh bucket instead of reshaping the old one.
            return kind + ":" + id + ":" + amount + (period.equals(SECOND) ? "" : "/" + period);
        }
    }

    static final Duration SECOND = Duration.ofSeconds(1);

    /** Takes a token from each limit in turn; the first that has none refuses the send. */
    Uni<RateLimit> admit(List<Limit> limits) {
        return admit(limits, java.util.Collections.nCopies(limits.size(), 1));
    }

    /** Takes {@code tokens.get(i)} tokens from the i-th limit in turn; the first that has not as many refuses them all. */
    private Uni<RateLimit> admit(List<Limit> limits, List<Integer> tokens) {
        Context context = Vertx.currentContext();
        Uni<RateLimit> admitted = Uni.createFrom().item((RateLimit) null);
        for (int i = 0; i < limits.size(); i++) {
            Limit limit = limits.get(i);
            int wanted = tokens.get(i);
            admitted = admitted.chain(first -> take(limit, wanted).map(probe -> {
                if (!probe.isConsumed()) {
                    meters.counter("gateway.rate_limited", "limit", limit.kind()).increment();
                    throw wanted > limit.amount() ? neverAdmitted(limit, wanted) : refusal(limit, probe);
                }
                return first != null ? first
                        : new RateLimit(limit.amount(), probe.getRemainingTokens(), RateLimit.seconds(probe.getNanosToWaitForReset()));
            }));
        }
        // Bucket4j may complete a request on another request's context (batching): come back to ours, without
        // a hop when it did not leave (the common case: a large limit is taken locally).
        return context == null ? admitted : admitted.emitOn(task -> BackOnContext.run(context, task));
    }

    private Uni<ConsumptionProbe> take(Limit limit, int tokens) {
        if (tokens > limit.amount()) {
            // More than the bucket ever holds: refused without asking it (it could only say "never").
            return Uni.createFrom().item(ConsumptionProbe.rejected(0, Long.MAX_VALUE, Long.MAX_VALUE));
        }
        return Uni.createFrom().completionStage(() -> bucket(limit).tryConsumeAndReturnRemaining(tokens));
    }

    private AsyncBucketProxy bucket(Limit limit) {
        if (buckets.size() >= MOST_BUCKETS) {
            buckets.clear();
        }
        return buckets.computeIfAbsent(limit.key(), key -> store.asAsync().builder()
                .withOptimization(limit.period().equals(SECOND) ? optimization(limit.amount()) : Optimizations.batching())
                .build(key, () -> CompletableFuture.completedFuture(BucketConfiguration.builder()
                        .addLimit(bandwidth -> bandwidth.capacity(limit.amount())
                                .refillGreedy(limit.amount(), limit.period()))
                        .build())));
    }

    /**
     * How often a replica writes its bucket back. Large limits: tokens are taken here and written back every
     * {@value #SYNC_MILLIS} ms or every 1/{@value #SLACK_DIVISOR} of the limit, whichever comes first, so a
     * busy bucket costs a few round trips a second instead of one per request; the price is that each
     * replica may overshoot by that much before it learns what the others took. Small limits, where that
     * slack would be a whole token: every request goes to the database (concurrent ones together).
     */
    static Optimization optimization(int perSecond) {
        long slack = perSecond / SLACK_DIVISOR;
        return slack < 1 ? Optimizations.batching()
                : Optimizations.delaying(new DelayParameters(slack, Duration.ofMillis(SYNC_MILLIS)));
    }

    /** 429 for more sends at once than a second of the limit allows: waiting would not help, smaller batches would. */
    private static ProblemException neverAdmitted(Limit limit, int wanted) {
        return new ProblemException(Problem.of(429, "rate-limited", "Too many requests",
                "The " + limit.who() + " may " + limit.what() + " " + limit.amount() + " per second; " + wanted
                        + " at once can never pass: send at most " + limit.amount() + " at once; nothing was stored or sent."))
                .withHeaders(new RateLimit(limit.amount(), 0, 1).headers());
    }

    private static ProblemException refusal(Limit limit, ConsumptionProbe probe) {
        long retryAfter = RateLimit.seconds(probe.getNanosToWaitForRefill());
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        headers.put("Retry-After", Long.toString(retryAfter));
        headers.putAll(new RateLimit(limit.amount(), 0, RateLimit.seconds(probe.getNanosToWaitForReset())).headers());
        return new ProblemException(Problem.of(429, "rate-limited", "Too many requests",
                "The " + limit.who() + " may " + limit.what() + " " + limit.amount() + " per "
                        + (limit.period().equals(SECOND) ? "second" : limit.period().equals(Duration.ofMinutes(1)) ? "minute" : limit.period())
                        + "; nothing was stored or sent. "
                        + "Retry after " + retryAfter + " s"))
                .withHeaders(headers);
    }
}
