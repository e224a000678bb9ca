package vn.zalogateway.support;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import vn.zalogateway.callback.CallbackHotStatements;
import vn.zalogateway.message.MessageHotStatements;
import vn.zalogateway.receipt.ReceiptHotStatements;

/**
 * The statements on the gateway's hot paths (the outboxes' claims and submissions, a receipt's lock and apply, the
 * callback sender's claim and outcomes), each the very SQL constant the code runs, with parameters to plan it by;
 * their plans as PostgreSQL makes them for a prepared statement (the reactive client prepares every statement), and
 * what one call of each reads ({@link #print}). No statement here may read {@code messages}, {@code receipts} or
 * {@code callback_events} but through an index ({@code HotStatementPlansTest}).
 */
public final class HotStatements {

    /** The tables no hot statement may scan. */
    public static final Set<String> WATCHED = Set.of("messages", "receipts", "callback_events");

    /**
     * A hot statement: its name, SQL, the parameters of an EXECUTE (SQL literals), and the index it must walk on the
     * watched tables (null: any index).
     */
    public record HotStatement(String name, String sql, String parameters, String index) {
    }

    private HotStatements() {
    }

    public static List<HotStatement> all() {
        return Stream.of(MessageHotStatements.all(), ReceiptHotStatements.all(), CallbackHotStatements.all())
                .flatMap(List::stream).toList();
    }

    /** The statement's plan as PostgreSQL would run it, prepared as the reactive client prepares it. */
    public static JsonNode plan(Connection connection, HotStatement hot, String planCacheMode) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("deallocate all");
            statement.execute("set plan_cache_mode = " + planCacheMode);
            statement.execute("prepare hot_statement as " + hot.sql());
            try (ResultSet plan = statement.executeQuery("explain (format json) execute hot_statement(" + hot.parameters() + ")")) {
                plan.next();
                return json(plan.getString(1));
            } finally {
                statement.execute("deallocate all");
                statement.execute("reset plan_cache_mode");
            }
        }
    }

    /** Every scan of the plan, as "Seq Scan on messages" or "Index Scan on messages using messages_pkey (id = ...)". */
    public static List<String> scans(JsonNode plan) {
        List<String> scans = new ArrayList<>();
        collect(plan, scans, null);
        return scans;
    }

    /**
     * What the plan reads of a watched table other than through an index condition: a sequential scan, or an index
     * walked whole (no condition: it reads the table's every row as surely).
     */
    public static List<String> unindexed(JsonNode plan) {
        return scans(plan).stream().filter(scan -> WATCHED.stream().anyMatch(table -> scan.contains(" on " + table + " ")
                || scan.endsWith(" on " + table)))
                // A bitmap index scan is judged by its heap scan's condition (an arm of a BitmapAnd may walk a small partial index).
                .filter(scan -> !scan.startsWith("Bitmap Index Scan"))
                .filter(scan -> scan.startsWith("Seq Scan") || !scan.contains("(cond ")).toList();
    }

    /**
     * Prints, for each hot statement, the indexes its plan walks and the buffers one call reads (shared hits and reads
     * of an {@code EXPLAIN (ANALYZE, BUFFERS)}, in a transaction rolled back: nothing is changed), as
     * "plan NAME: INDEXES, buffers N per call". Each is planned as the gateway plans it ({@code plan_cache_mode}
     * force_custom_plan, application.properties) for parameters that mostly name nothing: the cost of finding.
     */
    public static void print(Connection connection) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try (Statement statement = connection.createStatement()) {
            for (HotStatement hot : all()) {
                try {
                    statement.execute("set local plan_cache_mode = force_custom_plan");
                    statement.execute("prepare hot_statement as " + hot.sql());
                    JsonNode plan;
                    try (ResultSet rows = statement.executeQuery(
                            "explain (analyze, buffers, format json) execute hot_statement(" + hot.parameters() + ")")) {
                        rows.next();
                        plan = json(rows.getString(1)).get(0);
                    }
                    JsonNode top = plan.get("Plan");
                    long buffers = top.path("Shared Hit Blocks").asLong() + top.path("Shared Read Blocks").asLong();
                    Set<String> indexes = new LinkedHashSet<>();
                    List<String> unindexed = unindexed(plan);
                    scans(plan).stream().filter(scan -> scan.contains(" using ")).map(scan -> scan.replaceAll(".* using (\\S+).*", "$1"))
                            .forEach(indexes::add);
                    System.out.printf("plan %s: %s%s, buffers %d per call (planned in %.3f ms, ran in %.3f ms)%n", hot.name(),
                            indexes.isEmpty() ? "no index" : String.join(" + ", indexes),
                            unindexed.isEmpty() ? "" : " (NOT INDEXED: " + String.join("; ", unindexed) + ")", buffers,
                            plan.path("Planning Time").asDouble(), plan.path("Execution Time").asDouble());
                } catch (SQLException e) {
                    System.out.printf("plan %s: not measured (%s)%n", hot.name(), e.getMessage());
                } finally {
                    connection.rollback();
                    statement.execute("deallocate all");
                }
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void collect(JsonNode node, List<String> scans, String parentRelation) {
        if (node.isArray()) {
            node.forEach(child -> collect(child, scans, parentRelation));
            return;
        }
        if (!node.isObject()) {
            return;
        }
        JsonNode type = node.get("Node Type");
        String relation = node.has("Relation Name") ? node.get("Relation Name").asText() : parentRelation;
        if (type != null && type.asText().contains("Scan") && (node.has("Relation Name") || node.has("Index Name"))) {
            String condition = node.has("Index Cond") ? " (cond " + node.get("Index Cond").asText() + ")" : "";
            if (type.asText().equals("Bitmap Heap Scan")) {
                condition = " (cond " + node.path("Recheck Cond").asText() + ")";
            }
            scans.add(type.asText() + " on " + relation + (node.has("Index Name") ? " using " + node.get("Index Name").asText() : "")
                    + condition);
        }
        node.forEach(child -> collect(child, scans, relation));
    }
}
