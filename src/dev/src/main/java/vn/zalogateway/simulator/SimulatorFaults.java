package vn.zalogateway.simulator;

import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Provider outages on demand, for the soak (and anyone trying the gateway against a bad day): the sending calls
 * (eSMS's Zalo message and brandname SMS, eTelecom's CreateJourney and SendZNSJourney) answered {@code 503}, or not
 * answered at all. A call left unanswered was either never taken (the provider fell over before reading it) or taken
 * and its answer lost ({@code taken_share} of them): the message goes on and its receipts come, and the sender,
 * who saw only a timeout, must ask again under the same id or not at all. {@code GET /faults} shows the knobs and
 * what they did; {@code PUT /faults} changes them ({@code {"unavailable_rate": 0.5, "timeout_rate": 0, "seed": 7}}).
 * The dice are a seeded {@link SplittableRandom}, so a run's faults repeat as far as the order of the calls does.
 */
public final class SimulatorFaults {

    public static final String PATH = "/faults";
    /** How long an unanswered call is held before its connection is closed (longer than any sender waits). */
    static final long HOLD_MILLIS = 15_000;
    private static final String SWALLOWED = "simulator.answer-swallowed";

    /**
     * @param unavailableRate share of sending calls answered 503 before they are read
     * @param timeoutRate share of sending calls never answered
     * @param takenShare of those never answered, the share the provider took all the same
     */
    public record Knobs(double unavailableRate, double timeoutRate, double takenShare) {

        public Knobs {
            for (double rate : new double[] {unavailableRate, timeoutRate, takenShare}) {
                if (!(rate >= 0 && rate <= 1)) {
                    throw new IllegalArgumentException("unavailable_rate, timeout_rate and taken_share must be between 0 and 1");
                }
            }
        }
    }

    private final Vertx vertx;
    private volatile Knobs knobs = new Knobs(0, 0, 0.5);
    private SplittableRandom random = new SplittableRandom(1);
    private final AtomicLong unavailable = new AtomicLong();
    private final AtomicLong unanswered = new AtomicLong();
    private final AtomicLong swallowed = new AtomicLong();

    SimulatorFaults(Vertx vertx) {
        this.vertx = vertx;
    }

    /** Whether the call is one that sends (and so one the faults apply to): the path's last segment says. */
    static boolean sends(String path) {
        return path.endsWith("/SendZaloFollowerMessage_V5_post_json/") || path.endsWith("/SendMultipleMessage_V4_post_json/")
                || path.endsWith(".Zalo/SendZNSJourney") || path.endsWith(".Zalo/CreateJourney");
    }

    /** First handler of every route: lets a call through, answers it 503, holds it unanswered, or marks its answer lost. */
    void intercept(RoutingContext context) {
        String path = context.request().path();
        Knobs now = knobs;
        if (!sends(path) || now.unavailableRate() == 0 && now.timeoutRate() == 0) {
            context.next();
            return;
        }
        if (roll(now.unavailableRate())) {
            unavailable.incrementAndGet();
            boolean etelecom = path.contains(".Zalo/");
            context.response().setStatusCode(503)
                    .putHeader(HttpHeaders.CONTENT_TYPE, etelecom ? "application/json" : "text/html")
                    .end(etelecom ? "{\"code\":\"unavailable\",\"msg\":\"service is temporarily unavailable (simulated)\"}"
                            : "<html><body><h1>503 Service Unavailable</h1> (simulated)</body></html>");
        } else if (roll(now.timeoutRate())) {
            if (roll(now.takenShare())) {
                swallowed.incrementAndGet();
                context.put(SWALLOWED, Boolean.TRUE);
                context.next();
            } else {
                unanswered.incrementAndGet();
            }
            hold(context);
        } else {
            context.next();
        }
    }

    /** Whether this call's answer is to be lost (the provider took the call; the sender never hears). */
    static boolean swallows(RoutingContext context) {
        return Boolean.TRUE.equals(context.get(SWALLOWED));
    }

    private void hold(RoutingContext context) {
        vertx.setTimer(HOLD_MILLIS, timer -> {
            if (!context.response().closed()) {
                context.response().reset();
            }
        });
    }

    private synchronized boolean roll(double rate) {
        return rate > 0 && random.nextDouble() < rate;
    }

    void routes(Router router) {
        router.get(PATH).handler(context -> context.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .end(describe().encode()));
        router.put(PATH).handler(this::change);
    }

    public JsonObject describe() {
        Knobs now = knobs;
        return new JsonObject().put("unavailable_rate", now.unavailableRate()).put("timeout_rate", now.timeoutRate())
                .put("taken_share", now.takenShare()).put("answered_503", unavailable.get())
                .put("never_answered", unanswered.get()).put("answers_lost", swallowed.get());
    }

    private void change(RoutingContext context) {
        try {
            JsonObject changes = new JsonObject(context.body().asString());
            Knobs now = knobs;
            Knobs changed = new Knobs(changes.getDouble("unavailable_rate", now.unavailableRate()),
                    changes.getDouble("timeout_rate", now.timeoutRate()), changes.getDouble("taken_share", now.takenShare()));
            if (changes.containsKey("seed")) {
                synchronized (this) {
                    random = new SplittableRandom(changes.getLong("seed"));
                }
            }
            knobs = changed;
            context.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/json").end(describe().encode());
        } catch (DecodeException | ClassCastException | NullPointerException | IllegalArgumentException wrong) {
            context.response().setStatusCode(400).putHeader(HttpHeaders.CONTENT_TYPE, "application/problem+json")
                    .end(new JsonObject().put("type", "about:blank").put("title", "Bad simulator faults").put("status", 400)
                            .put("detail", "a JSON object of unavailable_rate, timeout_rate, taken_share (0 to 1) and seed: "
                                    + wrong.getMessage()).encode());
        }
    }
}
