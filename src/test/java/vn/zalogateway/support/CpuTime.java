package vn.zalogateway.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time from /proc: the whole machine's busy time; PostgreSQL's (every postgres process, and the
 * backends that have exited, as the postmaster's reaped children); the gateway's; this JVM's (the
 * load generator) and, for pgbench, its own. The rest is the kernel's work outside those processes
 * (loopback networking) and anything else running. Steadier than throughput on a machine that
 * drifts, and it shows who spends what.
 */
public record CpuTime(double machine, double postgres, double gateway, double loadGenerator, double pgbench) {
    private static final double MICROS_PER_TICK = 10_000; // USER_HZ is 100 on Linux

    public static CpuTime now(long gatewayPid) throws java.io.IOException {
        String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long busy = 0;
        for (int field : new int[] {1, 2, 3, 6, 7, 8}) { // user, nice, system, irq, softirq, steal
            busy += Long.parseLong(cpu[field]);
        }
        return new CpuTime(busy * MICROS_PER_TICK, postgresNow(), process(gatewayPid), process(ProcessHandle.current().pid()), 0);
    }

    /** Fields of /proc/pid/stat after the command name, or null when the process is gone. */
    private static String[] stat(Path path) {
        try {
            String stat = Files.readString(path);
            return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        } catch (java.io.IOException gone) {
            return null;
        }
    }

    /** A process's command name, or "" when it is gone (a backend may exit while it is read). */
    private static String command(Path process) {
        try {
            return Files.readString(process.resolve("comm")).trim();
        } catch (java.io.IOException gone) {
            return "";
        }
    }

    public static double process(long pid) {
        String[] fields = stat(Path.of("/proc", Long.toString(pid), "stat"));
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * MICROS_PER_TICK; // utime, stime
    }

    private static double postgresNow() throws java.io.IOException {
        long ticks = 0;
        try (var processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                String[] fields = stat(process.resolve("stat"));
                if (fields == null || !"postgres".equals(command(process))) {
                    continue;
                }
                ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                if (!"postgres".equals(command(Path.of("/proc", fields[1])))) { // the postmaster: add its exited backends
                    ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]); // cutime, cstime
                }
            }
        }
        return ticks * MICROS_PER_TICK;
    }

    public CpuTime minus(CpuTime earlier) {
        return new CpuTime(machine - earlier.machine, postgres - earlier.postgres, gateway - earlier.gateway,
                loadGenerator - earlier.loadGenerator, 0);
    }

    /** Per receipt, with pgbench's own CPU time (0 when it is not running). */
    public CpuTime per(long receipts, double pgbenchMicros) {
        return new CpuTime(machine / receipts, postgres / receipts, gateway / receipts, loadGenerator / receipts,
                pgbenchMicros / receipts);
    }

    public String describe(String client) {
        boolean gatewayRun = client.equals("gateway");
        double rest = machine - postgres - gateway - loadGenerator - pgbench;
        return String.format("machine %.0f us = PostgreSQL %.0f + %s %.0f + load generator %.0f%s + kernel and rest %.0f",
                machine, postgres, client, gatewayRun ? gateway : pgbench, loadGenerator,
                gatewayRun ? "" : String.format(" + idle gateway %.0f", gateway), rest);
    }

    public static CpuTime median(List<CpuTime> all) {
        return new CpuTime(Statistics.median(all, CpuTime::machine), Statistics.median(all, CpuTime::postgres),
                Statistics.median(all, CpuTime::gateway), Statistics.median(all, CpuTime::loadGenerator),
                Statistics.median(all, CpuTime::pgbench));
    }
}
