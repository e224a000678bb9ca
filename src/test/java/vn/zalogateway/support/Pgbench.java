package vn.zalogateway.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** pgbench's transactions per second and in all, and its own CPU time: the SQL ceiling a benchmark compares with. */
public record Pgbench(double tps, long transactions, double cpuMicros) {

    static final Path PGBENCH = Path.of("/usr/lib/postgresql/15/bin/pgbench");

    /**
     * Runs pgbench with this SQL script on {@link GatewayDatabase}, as many clients as given, for that long, then deletes
     * the receipts it stored (provider 'pgbench').
     */
    public static Pgbench run(String sql, int clients, int seconds) throws Exception {
        Path script = Path.of("target", "receipt-pgbench.sql");
        Files.writeString(script, sql);
        // Through bash, whose `times` then prints pgbench's own CPU time (user and system, as a child's).
        // The benchmark's server, wherever it is (the embedded one on its own port with -Dbench.db-host=): 127.0.0.1:5432
        // was assumed, and pgbench failed there for want of the database.
        TestDatabase.Address server = TestDatabase.Address.of(TestDatabase.host());
        String command = String.join(" ", PGBENCH.toString(), "-h", server.host(), "-p", Integer.toString(server.port()), "-U", "postgres", "-n", "-M", "prepared",
                "-c", Integer.toString(clients), "-j", Integer.toString(Math.min(2, clients)), "-T", Integer.toString(seconds), "-f", script.toString(),
                GatewayDatabase.DB) + "; times";
        Process process = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        process.waitFor(seconds + 30L, TimeUnit.SECONDS);
        Matcher tps = Pattern.compile("tps = ([0-9.]+)").matcher(output);
        if (!tps.find()) {
            throw new IllegalStateException("pgbench said: " + output);
        }
        Matcher transactions = Pattern.compile("number of transactions actually processed: ([0-9]+)").matcher(output);
        if (!transactions.find()) {
            throw new IllegalStateException("pgbench said: " + output);
        }
        // times: the shell's own line, then its children's, e.g. "1m2.345s 0m0.678s"
        Matcher children = Pattern.compile("(?m)^0m[0-9.]+s 0m[0-9.]+s\\s*^([0-9]+)m([0-9.]+)s ([0-9]+)m([0-9.]+)s").matcher(output);
        double cpuMicros = 0;
        if (children.find()) {
            cpuMicros = 1e6 * (60 * Double.parseDouble(children.group(1)) + Double.parseDouble(children.group(2))
                    + 60 * Double.parseDouble(children.group(3)) + Double.parseDouble(children.group(4)));
        }
        GatewayDatabase.sql("delete from receipts where provider = 'pgbench'");
        return new Pgbench(Double.parseDouble(tps.group(1)), Long.parseLong(transactions.group(1)), cpuMicros);
    }
}
