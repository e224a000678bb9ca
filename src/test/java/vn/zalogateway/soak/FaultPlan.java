package vn.zalogateway.soak;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The soak's faults, drawn from its seed before the run starts and printed, so that a failing run can be repeated:
 * kill -9 of one replica every 20-40 s (restarted after {@code restart-after}), PostgreSQL restarted a few times (down
 * 5-10 s), and bursts of provider 503s, provider timeouts, late receipts, duplicated and reordered receipts, a callback
 * receiver answering 500 (each every 90 s of load) and one hanging (every 5 minutes). At least one of each burst,
 * whatever the run's length.
 */
final class FaultPlan {

    enum Kind {
        KILL, DATABASE_RESTART, PROVIDER_503, PROVIDER_TIMEOUTS, RECEIPTS_LATE, RECEIPTS_DUPLICATED_AND_REORDERED,
        RECEIVER_500, RECEIVER_HANG
    }

    /** A fault that starts {@code at} after the load began and lasts {@code lasting}; {@code replica} for kills. */
    record Fault(Duration at, Kind kind, Duration lasting, int replica) {

        Duration end() {
            return at.plus(lasting);
        }

        @Override
        public String toString() {
            return String.format("  at %6.1f s  %-34s %s", at.toMillis() / 1000.0, kind,
                    kind == Kind.KILL ? "replica " + (replica + 1) + ", down " + seconds(lasting)
                            : "for " + seconds(lasting));
        }
    }

    final List<Fault> faults;

    FaultPlan(SoakSettings settings) {
        SplittableRandom random = new SplittableRandom(settings.seed());
        long load = settings.load().toMillis();
        List<Fault> drawn = new ArrayList<>();
        int replica = random.nextInt(2);
        for (long at = between(random, settings.killEveryMin(), settings.killEveryMax()); at < load;
                at += between(random, settings.killEveryMin(), settings.killEveryMax())) {
            drawn.add(new Fault(Duration.ofMillis(at), Kind.KILL, settings.restartAfter(), replica));
            replica = 1 - replica;
        }
        int restarts = settings.databaseRestarts();
        for (int i = 0; i < restarts; i++) {
            // One in each of as many equal slots of the load, away from the slot's edges.
            long slot = load / restarts;
            long at = i * slot + slot / 5 + (long) (random.nextDouble() * slot * 3 / 5);
            drawn.add(new Fault(Duration.ofMillis(at), Kind.DATABASE_RESTART,
                    Duration.ofMillis(between(random, settings.databaseDownMin(), settings.databaseDownMax())), -1));
        }
        for (Kind kind : List.of(Kind.PROVIDER_503, Kind.PROVIDER_TIMEOUTS, Kind.RECEIPTS_LATE,
                Kind.RECEIPTS_DUPLICATED_AND_REORDERED, Kind.RECEIVER_500, Kind.RECEIVER_HANG)) {
            // A burst every 90 s of load; a receiver's minute-long hang every 5 minutes: one every 90 s kept the receiver
            // away for most of the run (six minutes of ten), a consumer down, not one misbehaving.
            int bursts = (int) Math.max(1, load / (kind == Kind.RECEIVER_HANG ? 300_000 : 90_000));
            for (int i = 0; i < bursts; i++) {
                Duration lasting = switch (kind) {
                    case RECEIVER_HANG -> settings.receiverHang();
                    case RECEIVER_500, RECEIPTS_DUPLICATED_AND_REORDERED -> Duration.ofMillis(between(random,
                            Duration.ofSeconds(10), Duration.ofSeconds(30)));
                    default -> Duration.ofMillis(between(random, Duration.ofSeconds(5), Duration.ofSeconds(15)));
                };
                long latest = Math.max(0, load - Math.min(lasting.toMillis(), load / 2));
                drawn.add(new Fault(Duration.ofMillis((long) (random.nextDouble() * latest)), kind, lasting, -1));
            }
        }
        drawn.sort(Comparator.comparing(Fault::at));
        faults = List.copyOf(drawn);
    }

    long count(Kind kind) {
        return faults.stream().filter(fault -> fault.kind() == kind).count();
    }

    String describe() {
        StringBuilder text = new StringBuilder();
        faults.forEach(fault -> text.append(fault).append('\n'));
        return text.toString();
    }

    private static long between(SplittableRandom random, Duration least, Duration most) {
        return least.toMillis() + (long) (random.nextDouble() * (most.toMillis() - least.toMillis()));
    }

    private static String seconds(Duration duration) {
        return String.format("%.1f s", duration.toMillis() / 1000.0);
    }
}
