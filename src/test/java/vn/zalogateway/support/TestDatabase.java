package vn.zalogateway.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.flywaydb.core.Flyway;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import vn.zalogateway.devdatabase.EmbeddedDatabase;

/**
 * The PostgreSQL of the tests that run the packaged gateway as a process (the {@code *IT}, the
 * benchmarks), in this order: {@code -Dbench.db-host=HOST:PORT}; the URL the Maven profile
 * {@code local-postgres} passes ({@code QUARKUS_DATASOURCE_JDBC_URL}); else an embedded server this JVM
 * starts once and stops when it exits. User {@code postgres}, no password, in every case.
 *
 * <p>As a test resource of a {@code @QuarkusIntegrationTest} it hands the launched app that database.
 */
public final class TestDatabase implements QuarkusTestResourceLifecycleManager {

    public static final String USER = "postgres";

    private static final Pattern JDBC_HOST = Pattern.compile("jdbc:postgresql://([^/?]+)/([^?]*).*");

    private static EmbeddedDatabase embedded;

    /** host:port of the server. */
    public static synchronized String host() {
        String bench = System.getProperty("bench.db-host");
        if (bench != null && !bench.isBlank()) {
            return bench;
        }
        Matcher configured = configuredUrl();
        if (configured != null) {
            return configured.group(1);
        }
        if (embedded == null) {
            embedded = EmbeddedDatabase.start(null);
        }
        return embedded.host();
    }

    /** A server's host and port, from {@code host:port} ({@link #host()}'s form; 5432 when it names no port). */
    public record Address(String host, int port) {
        public static Address of(String server) {
            int colon = server.lastIndexOf(':');
            return colon < 0 ? new Address(server, 5432)
                    : new Address(server.substring(0, colon), Integer.parseInt(server.substring(colon + 1)));
        }
    }

    public static boolean isEmbedded() {
        host();
        return embedded != null;
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + "/" + database;
    }

    public static String reactiveUrl(String database) {
        return "postgresql://" + host() + "/" + database;
    }

    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), USER, "");
    }

    /** An empty database of that name, dropped first if it was there: the app's migrations make the tables. */
    public static void recreate(String database) throws SQLException {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            statement.execute("drop database if exists " + database + " with (force)");
            statement.execute("create database " + database);
        }
    }

    /**
     * Applies the gateway's migrations ({@code db/migration}) with Flyway, as the migration Job does before a
     * rollout: the packaged gateway, like a serving pod, carries no Flyway and migrates nothing itself.
     */
    public static void migrate(String database) {
        Flyway.configure().dataSource(jdbcUrl(database), USER, "").locations("classpath:db/migration").load().migrate();
    }

    /** A new database as the migration Job leaves it: every migration applied, no rows. */
    public static void recreateMigrated(String database) throws SQLException {
        recreate(database);
        migrate(database);
    }

    /**
     * Takes the server down for {@code down}, then starts it again: the embedded one through its own API,
     * a local one with pg_ctlcluster (needs root and a Debian cluster; the test is skipped elsewhere).
     */
    public static void restart(Duration down) throws Exception {
        if (isEmbedded()) {
            embedded.stop();
            Thread.sleep(down.toMillis());
            embedded.restart();
            return;
        }
        String cluster = localCluster();
        pgCtlCluster(cluster, "stop");
        Thread.sleep(down.toMillis());
        pgCtlCluster(cluster, "start");
    }

    /** Whether {@link #restart} can restart this server: the embedded one always, a local one if pg_ctlcluster runs it. */
    public static boolean canRestart() throws Exception {
        return isEmbedded() || (host().startsWith("127.0.0.1:") || host().startsWith("localhost:")) && localCluster() != null;
    }

    /** The database the tests use on the server: {@code test} on a configured one (as the README says), else {@code postgres}. */
    public static String database() {
        Matcher configured = configuredUrl();
        return configured != null ? configured.group(2) : EmbeddedDatabase.DATABASE;
    }

    static Matcher configuredUrl() {
        String url = System.getProperty("quarkus.datasource.jdbc.url", System.getenv("QUARKUS_DATASOURCE_JDBC_URL"));
        if (url == null || url.isBlank()) {
            return null;
        }
        Matcher matcher = JDBC_HOST.matcher(url.trim());
        if (!matcher.matches()) {
            throw new IllegalStateException("not a jdbc:postgresql://host:port/database URL: " + url);
        }
        return matcher;
    }

    private static String localCluster() throws Exception {
        Path clusters = Path.of("/etc/postgresql");
        if (!Files.isDirectory(clusters) || new ProcessBuilder("which", "pg_ctlcluster").start().waitFor() != 0) {
            return null;
        }
        try (var versions = Files.list(clusters)) {
            return versions.map(path -> path.getFileName().toString()).sorted().reduce((a, b) -> b).orElse(null);
        }
    }

    private static void pgCtlCluster(String version, String action) throws Exception {
        Process process = new ProcessBuilder("pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action).inheritIO().start();
        if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
            throw new IllegalStateException("pg_ctlcluster " + version + " main " + action + " failed");
        }
    }

    // --- as a test resource: the launched app gets the same database, migrated ---------------------------

    @Override
    public Map<String, String> start() {
        migrate(database());
        if (configuredUrl() != null) {
            return Map.of(); // the app inherits the same environment
        }
        return Map.of("quarkus.datasource.reactive.url", reactiveUrl(database()),
                "quarkus.datasource.username", USER);
    }

    @Override
    public void stop() {
        // the server outlives one test class: it stops with the JVM
    }
}
