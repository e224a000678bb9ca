package vn.zalogateway.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The database the packaged gateway processes of the benchmarks and fault tests run against
 * ({@value #DB}, on the server {@link TestDatabase} points at), read and written over JDBC.
 */
public final class GatewayDatabase {

    public static final String DB = "zalo_gateway_bench";
    /** Statistics of {@link #millis}. */
    public static final String P50 = "percentile_cont(0.5) within group (order by ms)";
    public static final String P99 = "percentile_cont(0.99) within group (order by ms)";

    private GatewayDatabase() {
    }

    /** Creates it if missing, and migrates it as the migration Job does: the packaged gateway migrates nothing. */
    public static void createDatabase() throws Exception {
        try (Connection connection = TestDatabase.connect("postgres");
                Statement statement = connection.createStatement();
                ResultSet exists = statement.executeQuery("select 1 from pg_database where datname = '" + DB + "'")) {
            if (!exists.next()) {
                statement.execute("create database " + DB);
            }
        }
        TestDatabase.migrate(DB);
    }

    /** Empties the tables of messages and journeys (before a gateway starts: its dispatcher would send what was left). */
    public static void clearTables() throws Exception {
        try {
            sql("truncate messages, batches, journeys, idempotency_keys cascade");
        } catch (SQLException noTablesYet) {
            // a new database, not migrated yet
        }
    }

    public static void sql(String sql) throws Exception {
        try (Connection connection = TestDatabase.connect(DB);
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    /** The first column of every row. */
    public static Set<String> strings(String sql) throws Exception {
        Set<String> values = new HashSet<>();
        try (Connection connection = TestDatabase.connect(DB);
                Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            while (rows.next()) {
                values.add(rows.getString(1));
            }
        }
        return values;
    }

    /** The first column of the first row, as text. */
    public static String sqlText(String sql) throws Exception {
        try (Connection connection = TestDatabase.connect(DB);
                Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getString(1);
        }
    }

    /** The first column of the first row, a count. */
    public static long count(String sql) throws Exception {
        try (Connection connection = TestDatabase.connect(DB);
                Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /**
     * A statistic ({@code max(ms)}, {@link #P50}, {@link #P99}) of 202 to DELIVERED, in ms, of the messages made
     * since {@code since} (PostgreSQL's clock).
     */
    public static double millis(String statistic, String since) throws Exception {
        return Double.parseDouble(sqlText("select " + statistic + " from (select extract(epoch from "
                + "r.received_at - m.created_at) * 1000 as ms from messages m join receipts r on r.message_ref = m.id "
                + "where r.status = 'delivered' and m.created_at >= '" + since + "') d"));
    }
}
