package vn.zalogateway.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import vn.zalogateway.simulator.ProviderSimulator;
import vn.zalogateway.simulator.SimulatorSettings;
import vn.zalogateway.support.GatewayDatabase;
import vn.zalogateway.support.GatewayProcess;
import vn.zalogateway.support.MessageLoad;
import vn.zalogateway.support.TestDatabase;
import vn.zalogateway.support.TestKeys;

/**
 * Issue 35: everything going wrong at once, under load, for minutes. Two replicas (the packaged app) behind a
 * {@link Balancer} on one PostgreSQL (the embedded one, restarted), the provider simulator in its own JVM
 * ({@link SimulatorRun}: its 503s, timeouts, late, duplicated and reordered receipts), the consumers' callback receiver
 * on its own port ({@link CallbackReceiver}: 500s, hangs); consumers sending transaction and journey messages with
 * fallbacks, schedules, cancels and keyed retries ({@link SoakLoad}); faults on a seeded schedule ({@link FaultPlan}).
 * Then the load stops, every message must become final and every callback be delivered, and {@link SoakChecks} must
 * count 0 of everything. Only {@code ./mvnw verify -Psoak} runs it; every number is a knob ({@link SoakSettings}).
 */
@Tag("soak")
class SoakIT {

    static final String SECRET = "soak-webhook-secret";
    /** The simulated providers' normal pace (between bursts). */
    static final String RECEIPT_DELAY = "300ms";

    final AtomicInteger faultsActive = new AtomicInteger();
    final AtomicLong peakBacklog = new AtomicLong();
    static final Duration LEASE = Duration.ofSeconds(30);
    /** The slowest background sweep of unmatched receipts (UnmatchedReceipts' idle spacing at most), and a margin. */
    static final Duration UNMATCHED_SWEEP_BOUND = Duration.ofSeconds(70);
    /** Stored receipts not applied to any message or journey yet. */
    static final String UNMATCHED_RECEIPTS = "select count(*) from receipts where applied_at is null and valid";
    /** When the drain last found everything settled but receipts waiting unmatched (System.nanoTime), or 0. */
    private long settledAt;
    final AtomicInteger databaseRestarts = new AtomicInteger();
    final Map<FaultPlan.Kind, AtomicInteger> bursts = new ConcurrentHashMap<>();

    @Test
    void nothingIsLostWhenEverythingGoesWrongAtOnce() throws Exception {
        SoakSettings settings = SoakSettings.fromSystemProperties();
        FaultPlan plan = new FaultPlan(settings);
        System.out.printf("%nsoak: seed %d (repeat with -Dsoak.seed=%d), settings %s%nsoak: fault schedule (%d faults):%n%s",
                settings.seed(), settings.seed(), settings.describe(), plan.faults.size(), plan.describe());
        TestDatabase.recreateMigrated(GatewayDatabase.DB);
        Vertx vertx = Vertx.vertx();
        List<Integer> ports = List.of(GatewayProcess.freePort(), GatewayProcess.freePort());
        List<Integer> managementPorts = List.of(GatewayProcess.freePort(), GatewayProcess.freePort());
        try (Balancer balancer = new Balancer(ports);
                CallbackReceiver receiver = new CallbackReceiver(vertx);
                SimulatorRun simulator = new SimulatorRun(balancer.url() + "/v1/webhooks/nxcloud/" + SECRET, Map.of(
                        "latency", "20ms", "receipt-delay", RECEIPT_DELAY,
                        "failure-rate", Double.toString(settings.zaloFailureRate()),
                        "sms-failure-rate", Double.toString(settings.smsFailureRate()),
                        // A day's quota the run cannot spend (the default 5,000 is a few minutes of it): a spent quota
                        // rightly holds the OA's messages until midnight, which no drain outlasts; FallbackTest and
                        // the quota tests cover holds.
                        "daily-quota", Integer.toString(SimulatorSettings.LARGEST_QUOTA),
                        "receipts", "success,delivered,esms_callback,journey_acknowledged"));
                Replicas replicas = new Replicas(environment(settings, balancer, simulator), ports, managementPorts)) {
            simulator.faults(new JsonObject().put("seed", settings.seed()));
            replicas.start(0);
            replicas.start(1);
            List<SoakLoad.Consumer> consumers = new ArrayList<>();
            for (int c = 0; c < settings.consumers(); c++) {
                consumers.add(makeConsumer(balancer, receiver, "soak-" + (char) ('a' + c)));
            }
            io.vertx.core.http.HttpClient client = vertx.createHttpClient(new HttpClientOptions().setDefaultHost("127.0.0.1")
                    .setDefaultPort(balancer.port()).setConnectTimeout(2_000), new PoolOptions().setHttp1MaxSize(128));
            SoakLoad load = new SoakLoad(vertx, client, settings, consumers, () -> faultsActive.get() > 0);

            // Faults on their schedule, from the moment the load starts; the backlog sampled every second.
            ScheduledExecutorService faults = Executors.newScheduledThreadPool(8);
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> sampleBacklog(sampling), "soak-backlog");
            sampler.setDaemon(true);
            sampler.start();
            long loadStart = System.nanoTime();
            List<Future<?>> scheduled = new ArrayList<>();
            for (FaultPlan.Fault fault : plan.faults) {
                scheduled.add(faults.schedule(() -> {
                    run(fault, replicas, simulator, receiver);
                    return null;
                }, fault.at().toMillis(), TimeUnit.MILLISECONDS));
            }
            MessageLoad.paced(vertx, settings.rate(), settings.total(), (i, due) -> load.send(i));
            long loadEnd = System.nanoTime();
            System.out.printf("soak: load done, %d messages sent in %.1f s; waiting for the faults to end%n", load.sent.get(),
                    (loadEnd - loadStart) / 1e9);

            // Every fault over (a replica killed last comes back), every client's last request answered.
            for (Future<?> fault : scheduled) {
                try {
                    fault.get(3, TimeUnit.MINUTES);
                } catch (java.util.concurrent.ExecutionException failed) {
                    throw new AssertionError("a fault could not be applied (" + failed.getCause() + ")", failed.getCause());
                }
            }
            faults.shutdown();
            await().alias("every client's request answered").atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(200))
                    .until(() -> load.inFlight.get() == 0);

            // The drain: every receipt the simulator has to send sent (or given up), every message final, every callback settled.
            long drainStart = System.nanoTime();
            try {
                await().alias("every message final and every callback delivered within " + settings.drain())
                        .atMost(settings.drain()).pollInterval(Duration.ofSeconds(2)).ignoreExceptions()
                        .until(() -> drained(simulator));
            } catch (org.awaitility.core.ConditionTimeoutException notDrained) {
                // Not a verdict of its own: the checks below count what is stuck, and say which.
                System.out.printf("soak: not drained within %s: %s%n", settings.drain(), undrained(simulator));
            }
            double drained = (System.nanoTime() - drainStart) / 1e9;
            sampling.set(false);

            JsonObject journal = simulator.journal("/messages");
            Set<String> digests = new HashSet<>();
            simulator.journal("/receipts").getJsonArray("taken_md5", new JsonArray()).forEach(digest -> digests.add((String) digest));
            SoakChecks checks = new SoakChecks(load, journal, digests, receiver.received, replicas.killedAt, LEASE.dividedBy(2));
            checks.unsigned(receiver.unsigned.get());

            report(settings, plan, load, checks, replicas, simulator, receiver, loadStart, loadEnd, drained);
            assertThat(checks.counts).as("every check of the soak (seed %d): %s", settings.seed(), checks.examples)
                    .allSatisfy((check, count) -> assertThat(count).as(check).isZero());
            assertThat(load.accepted).as("messages accepted").isNotEmpty();
        } finally {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** The replicas' settings: the simulator behind every provider, webhooks through the balancer, short waits. */
    private static Map<String, String> environment(SoakSettings settings, Balancer balancer, SimulatorRun simulator) {
        Map<String, String> environment = new HashMap<>(GatewayProcess.environment(simulator.url + ProviderSimulator.ESMS_BASE));
        environment.putAll(Map.ofEntries(
                Map.entry("QUARKUS_REST_CLIENT_ETELECOM_URL", simulator.url + ProviderSimulator.ETELECOM_BASE),
                Map.entry("QUARKUS_REST_CLIENT_ESMS_STATUS_URL", simulator.url + ProviderSimulator.ESMS_STATUS_BASE),
                Map.entry("GATEWAY_ESMS_CALLBACK_URL", balancer.url() + "/v1/webhooks/esms/" + SECRET),
                Map.entry("GATEWAY_WEBHOOKS_NXCLOUD_SECRET", SECRET),
                Map.entry("GATEWAY_WEBHOOKS_ESMS_SECRET", SECRET),
                Map.entry("GATEWAY_ADMIN_KEY_HASHES", TestKeys.ADMIN_HASHES),
                Map.entry("GATEWAY_CALLBACKS_ALLOW_HTTP", "true"),
                Map.entry("GATEWAY_CALLBACKS_ALLOW_PRIVATE_NETWORKS", "true"),
                Map.entry("GATEWAY_CALLBACKS_TIMEOUT", "PT5S"),
                // Enough retries to outlast a hang of receiver-hang and the rest of the run, short enough to end within the drain.
                Map.entry("GATEWAY_CALLBACKS_RETRY_DELAYS", "PT1S,PT2S,PT5S,PT10S,PT20S,PT30S,PT30S,PT30S,PT30S,PT30S"),
                // A dispatcher holds an outcome it cannot write for half its lease: 15 s outlasts the database's longest
                // outage here (10 s); production's minute outlasts a failover's half-minute the same way.
                Map.entry("GATEWAY_DISPATCH_LEASE", LEASE.toString()),
                Map.entry("GATEWAY_DISPATCH_BACKOFF_BASE", "PT1S"),
                Map.entry("GATEWAY_DISPATCH_BACKOFF_MAX", "PT8S"),
                Map.entry("GATEWAY_IDEMPOTENCY_IN_FLIGHT_LEASE", "PT15S"),
                Map.entry("GATEWAY_RECEIPTS_WAIT", settings.receiptsWait().toString()),
                Map.entry("GATEWAY_RECEIPTS_WAIT_CHECK", "PT5S"),
                Map.entry("GATEWAY_RECEIPTS_RECONCILE_AFTER", "PT15S"),
                Map.entry("GATEWAY_RECEIPTS_RECONCILE_INTERVAL", "PT5S"),
                Map.entry("GATEWAY_RECEIPTS_MAX_LOOKS", "1"),
                Map.entry("GATEWAY_SMS_BRANDNAME", "SOAK")));
        return environment;
    }

    /** A consumer of all OAs whose callbacks go to the receiver, which learns its signing secret. */
    private static SoakLoad.Consumer makeConsumer(Balancer balancer, CallbackReceiver receiver, String name) throws Exception {
        String body = new JsonObject().put("name", name).put("oa_ids", new JsonArray().add("*")).put("callback_url", receiver.url(name))
                .encode();
        HttpResponse<String> made = java.net.http.HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(balancer.url() + "/v1/admin/consumers")).header("Authorization", "Bearer " + TestKeys.ADMIN_KEY)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonObject consumer = new JsonObject(made.body());
        receiver.secret(name, consumer.getString("callback_secret"));
        return new SoakLoad.Consumer(name, consumer.getString("api_key"));
    }

    private void run(FaultPlan.Fault fault, Replicas replicas, SimulatorRun simulator, CallbackReceiver receiver) throws Exception {
        faultsActive.incrementAndGet();
        try {
            switch (fault.kind()) {
                case KILL -> {
                    int other = 1 - fault.replica();
                    // One replica down at a time: the other must be serving before this one goes.
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> replicas.up(other));
                    replicas.kill(fault.replica());
                    Thread.sleep(fault.lasting().toMillis()); // down this long: a timed fault, not a wait for an outcome
                    startAgain(replicas, fault.replica());
                }
                case DATABASE_RESTART -> {
                    TestDatabase.restart(fault.lasting());
                    databaseRestarts.incrementAndGet();
                }
                case PROVIDER_503 -> burst(fault, () -> simulator.faults(new JsonObject().put("unavailable_rate", 0.5)),
                        () -> simulator.faults(new JsonObject().put("unavailable_rate", 0)));
                case PROVIDER_TIMEOUTS -> burst(fault, () -> simulator.faults(new JsonObject().put("timeout_rate", 0.3)),
                        () -> simulator.faults(new JsonObject().put("timeout_rate", 0)));
                case RECEIPTS_LATE -> burst(fault, () -> simulator.settings(new JsonObject().put("receipt_delay", "10s")),
                        () -> simulator.settings(new JsonObject().put("receipt_delay", RECEIPT_DELAY)));
                case RECEIPTS_DUPLICATED_AND_REORDERED -> burst(fault,
                        () -> simulator.settings(new JsonObject().put("duplicates", 2).put("out_of_order", true)),
                        () -> simulator.settings(new JsonObject().put("duplicates", 0).put("out_of_order", false)));
                case RECEIVER_500 -> burst(fault, () -> receiverMode(receiver), () -> receiverMode(receiver));
                case RECEIVER_HANG -> burst(fault, () -> receiverMode(receiver), () -> receiverMode(receiver));
                default -> throw new IllegalStateException(fault.kind().name());
            }
        } finally {
            faultsActive.decrementAndGet();
        }
    }

    /** A replica started again; a start that fails (PostgreSQL down longer than its readiness waits) is tried again. */
    private static void startAgain(Replicas replicas, int i) throws Exception {
        for (int attempt = 1;; attempt++) {
            try {
                replicas.start(i);
                return;
            } catch (RuntimeException notReady) {
                if (attempt == 3) {
                    throw notReady;
                }
            }
        }
    }

    interface Step {
        void run() throws Exception;
    }

    /** A burst: on, for its time (overlapping bursts of one kind: off when the last ends), off. */
    private void burst(FaultPlan.Fault fault, Step on, Step off) throws Exception {
        AtomicInteger active = bursts.computeIfAbsent(fault.kind(), ignored -> new AtomicInteger());
        synchronized (active) {
            active.incrementAndGet();
            on.run();
        }
        Thread.sleep(fault.lasting().toMillis()); // a timed fault
        synchronized (active) {
            active.decrementAndGet();
            if (active.get() == 0) {
                off.run();
            }
        }
    }

    private void receiverMode(CallbackReceiver receiver) {
        int hanging = bursts.getOrDefault(FaultPlan.Kind.RECEIVER_HANG, new AtomicInteger()).get();
        int failing = bursts.getOrDefault(FaultPlan.Kind.RECEIVER_500, new AtomicInteger()).get();
        receiver.mode(hanging > 0 ? CallbackReceiver.Mode.HANG : failing > 0 ? CallbackReceiver.Mode.ERROR_500 : CallbackReceiver.Mode.OK);
    }

    /**
     * Drained: no receipt left to send, every message final, every callback settled, and no stored receipt waiting
     * unmatched; or, when some still wait once the rest has settled, one slowest sweep later (receipts that beat
     * their message are applied by a sweep at most a minute apart while idle, and some never match: a send whose
     * answer was lost taught the gateway no id). Until then a final UNCONFIRMED may still become DELIVERED.
     */
    private boolean drained(SimulatorRun simulator) throws Exception {
        long pendingReceipts = simulator.journal("").getLong("receipts_pending");
        long notFinal = GatewayDatabase.count("select count(*) from messages where status not in "
                + "('DELIVERED', 'FAILED', 'UNCONFIRMED', 'CANCELLED')");
        long callbacks = GatewayDatabase.count("select count(*) from callback_events where status = 'PENDING'");
        if (pendingReceipts > 0 || notFinal > 0 || callbacks > 0) {
            settledAt = 0;
            return false;
        }
        if (GatewayDatabase.count(UNMATCHED_RECEIPTS) == 0) {
            return true;
        }
        settledAt = settledAt == 0 ? System.nanoTime() : settledAt;
        return System.nanoTime() - settledAt > UNMATCHED_SWEEP_BOUND.toNanos();
    }

    /** What is left undrained: receipts still to send, messages by status, callbacks pending by subject status. */
    private static String undrained(SimulatorRun simulator) throws Exception {
        return "receipts pending " + simulator.journal("").getLong("receipts_pending") + ", stored receipts unmatched "
                + GatewayDatabase.count(UNMATCHED_RECEIPTS) + ", messages not final "
                + GatewayDatabase.strings("select status || ' ' || coalesce(error_code, '-') || ' sms ' || coalesce(sms_status, '-')"
                        + " || ': ' || count(*) from messages where status not in ('DELIVERED', 'FAILED', 'UNCONFIRMED', "
                        + "'CANCELLED') group by status, error_code, sms_status")
                + ", callbacks pending " + GatewayDatabase.strings("select 'attempts ' || attempts || ' last ' || "
                        + "coalesce(last_status_code::text, last_error, '-') || ': ' || count(*) from callback_events "
                        + "where status = 'PENDING' group by attempts, last_status_code, last_error");
    }

    private void sampleBacklog(AtomicBoolean sampling) {
        while (sampling.get()) {
            try {
                long backlog = GatewayDatabase.count("select count(*) from messages where status not in "
                        + "('DELIVERED', 'FAILED', 'UNCONFIRMED', 'CANCELLED', 'SCHEDULED')");
                peakBacklog.accumulateAndGet(backlog, Math::max);
            } catch (Exception databaseDown) {
                // a restart: the next sample
            }
            try {
                Thread.sleep(1_000); // a sample a second: a probe, not a wait for an outcome
            } catch (InterruptedException stop) {
                return;
            }
        }
    }

    private void report(SoakSettings settings, FaultPlan plan, SoakLoad load, SoakChecks checks, Replicas replicas,
            SimulatorRun simulator, CallbackReceiver receiver, long loadStart, long loadEnd, double drained) throws Exception {
        double seconds = (loadEnd - loadStart) / 1e9;
        List<Long> times = new ArrayList<>(load.acceptedAt);
        times.add(loadStart);
        times.add(loadEnd);
        times.sort(null);
        long longestGap = 0;
        for (int i = 1; i < times.size(); i++) {
            if (times.get(i) <= loadEnd) {
                longestGap = Math.max(longestGap, times.get(i) - times.get(i - 1));
            }
        }
        String p99 = GatewayDatabase.sqlText("select round(percentile_cont(0.99) within group (order by extract(epoch from "
                + "updated_at - created_at))::numeric, 1) from messages where status in ('DELIVERED', 'FAILED', 'UNCONFIRMED')"
                + " and send_at is null");
        String statuses = GatewayDatabase.strings("select status || ' ' || count(*) from messages group by status").toString();
        System.out.printf("soak: answers %s; during faults %s%n", load.answers, load.answersDuringFaults);
        System.out.printf("soak: accepted %.1f/s over %.1f s (%d sent), 503 during faults %d, 429 during faults %d, longest without "
                + "a 202 %.1f s, peak backlog %d, p99 202-to-final %s s, drained in %.1f s%n",
                load.accepted.size() / seconds, seconds, load.sent.get(), count(load.answersDuringFaults, 503),
                count(load.answersDuringFaults, 429), longestGap / 1e9, peakBacklog.get(), p99, drained);
        System.out.printf("soak: messages %s; cancels answered 200: %d, refused 409: %d; receiver: %d answered 500, %d hung, "
                + "%d unsigned; simulator faults %s, journal %s%n", statuses, load.cancelled.size(), load.cancelsRefused.get(),
                receiver.answered500.get(), receiver.hung.get(), receiver.unsigned.get(), simulator.get("/faults").encode(),
                simulator.journal("").encode());
        try {
            System.out.printf("soak: stored receipts never matched: %s%n", GatewayDatabase.strings("select provider || ' ' || "
                    + "coalesce(status, 'invalid') || ': ' || count(*) from receipts where applied_at is null group by provider, status"));
        } catch (Exception databaseGone) {
            System.out.printf("soak: stored receipts never matched: not read (%s)%n", databaseGone);
        }
        System.out.printf("soak: %d eSMS callbacks taken were receipts GetCallback had brought first (stored once); "
                + "%d ZNS journey messages UNCONFIRMED as their answer died with the replica that called%n",
                checks.keptAsGetCallbackSaidIt, checks.unknownAfterKill);
        checks.examples.forEach((check, some) -> System.out.printf("soak: %s, e.g. %s%n", check, some));
        Map<String, Long> c = checks.counts;
        System.out.printf("soak: accepted %d, final %d, lost %d, stuck %d, resent_new_id %d, wrong_state %d, callbacks_missing %d, "
                + "receipts_lost %d, idempotency_broken %d (faults: %d kills, %d database restarts)%n",
                load.accepted.size(), checks.finalOfAccepted, c.get("lost"), c.get("stuck"), c.get("resent_new_id"),
                c.get("wrong_state"), c.get("callbacks_missing"), c.get("receipts_lost"), c.get("idempotency_broken"),
                replicas.kills.get(), databaseRestarts.get());
        if (c.get("callbacks_unsigned") > 0) {
            System.out.printf("soak: callbacks_unsigned %d%n", c.get("callbacks_unsigned"));
        }
    }

    private static long count(Map<Integer, AtomicLong> answers, int status) {
        AtomicLong count = answers.get(status);
        return count == null ? 0 : count.get();
    }
}
