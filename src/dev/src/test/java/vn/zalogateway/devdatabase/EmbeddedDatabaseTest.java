package vn.zalogateway.devdatabase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The embedded server itself: it starts, keeps committed data across a restart and a new start, and cleans up after itself. */
class EmbeddedDatabaseTest {

    @Test
    void restartKeepsDataAndTheTemporaryFolderGoesWithTheServer() throws Exception {
        Path folder;
        try (EmbeddedDatabase database = EmbeddedDatabase.start(null)) {
            folder = database.dataDirectory();
            execute(database, "create table kept (n int)", "insert into kept values (42)");

            database.stop();
            assertThatThrownBy(() -> execute(database, "select 1")).isInstanceOf(SQLException.class);
            database.restart();

            assertThat(count(database, "select n from kept")).isEqualTo(42);
            assertThat(database.port()).isPositive();
        }
        assertThat(folder).doesNotExist();
    }

    @Test
    void aKeptFolderIsReusedByTheNextServer(@TempDir Path parent) throws Exception {
        Path kept = parent.resolve("dev-data");
        try (EmbeddedDatabase first = EmbeddedDatabase.start(kept)) {
            execute(first, "create table kept (n int)", "insert into kept values (7)");
        }
        assertThat(kept.resolve("PG_VERSION")).exists();
        try (EmbeddedDatabase second = EmbeddedDatabase.start(kept)) {
            assertThat(count(second, "select n from kept")).isEqualTo(7);
        }
        assertThat(Files.isDirectory(kept)).isTrue();
    }

    private static void execute(EmbeddedDatabase database, String... statements) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(EmbeddedDatabase.DATABASE), EmbeddedDatabase.USER, "");
                Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                statement.execute(sql);
            }
        }
    }

    private static int count(EmbeddedDatabase database, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(database.jdbcUrl(EmbeddedDatabase.DATABASE), EmbeddedDatabase.USER, "");
                Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getInt(1);
        }
    }
}
